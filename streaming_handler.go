package mastodon

import "encoding/json"

// StreamHandler receives a stream's events by kind, in the manner of
// Mastodon.py's StreamListener (on_update, on_notification, …). Nil fields
// are skipped. Connection changes are reported through StreamOptions'
// OnConnect and OnDisconnect.
type StreamHandler struct {
	OnUpdate               func(*Status)
	OnDelete               func(statusID string)
	OnNotification         func(*Notification)
	OnStatusUpdate         func(*Status)
	OnConversation         func(*Conversation)
	OnFiltersChanged       func()
	OnAnnouncement         func(*Announcement)
	OnAnnouncementReaction func(*StreamReaction)
	OnAnnouncementDelete   func(announcementID string)
	OnNotificationsMerged  func()
	OnEncryptedMessage     func(json.RawMessage)
	// OnUnknownEvent gets events this library does not know.
	OnUnknownEvent func(name string, payload []byte)
	// OnError gets errors that do not end the stream, such as a malformed
	// event.
	OnError func(err error)
}

// Dispatch calls the handler function for ev's kind.
func (h *StreamHandler) Dispatch(ev Event) {
	if h == nil {
		return
	}
	switch e := ev.(type) {
	case *UpdateEvent:
		if h.OnUpdate != nil {
			h.OnUpdate(e.Status)
		}
	case *DeleteEvent:
		if h.OnDelete != nil {
			h.OnDelete(e.ID)
		}
	case *NotificationEvent:
		if h.OnNotification != nil {
			h.OnNotification(e.Notification)
		}
	case *StatusUpdateEvent:
		if h.OnStatusUpdate != nil {
			h.OnStatusUpdate(e.Status)
		}
	case *ConversationEvent:
		if h.OnConversation != nil {
			h.OnConversation(e.Conversation)
		}
	case *FiltersChangedEvent:
		if h.OnFiltersChanged != nil {
			h.OnFiltersChanged()
		}
	case *AnnouncementEvent:
		if h.OnAnnouncement != nil {
			h.OnAnnouncement(e.Announcement)
		}
	case *AnnouncementReactionEvent:
		if h.OnAnnouncementReaction != nil {
			h.OnAnnouncementReaction(e.Reaction)
		}
	case *AnnouncementDeleteEvent:
		if h.OnAnnouncementDelete != nil {
			h.OnAnnouncementDelete(e.ID)
		}
	case *NotificationsMergedEvent:
		if h.OnNotificationsMerged != nil {
			h.OnNotificationsMerged()
		}
	case *EncryptedMessageEvent:
		if h.OnEncryptedMessage != nil {
			h.OnEncryptedMessage(e.Payload)
		}
	case *UnknownEvent:
		if h.OnUnknownEvent != nil {
			h.OnUnknownEvent(e.Event, e.Payload)
		}
	}
}

// Handle reads the stream, calling h for each event, until the stream ends.
// It returns what ended it: nil after Close, the context's error after
// cancellation, or the error that stopped the stream.
func (st *Stream) Handle(h *StreamHandler) error {
	for ev, err := range st.Events() {
		if err != nil {
			if h != nil && h.OnError != nil {
				h.OnError(err)
			}
			continue
		}
		h.Dispatch(ev)
	}
	return st.Err()
}
