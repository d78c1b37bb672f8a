package main

import "strings"

// typeDocs are our one-line descriptions of the entities.
var typeDocs = map[string]string{
	"Account":                     "is a user profile, local or remote.",
	"CredentialAccount":           "is the signed-in user's own account, with its source settings and role.",
	"CredentialAccountSource":     "holds the plain-text profile and posting defaults of the signed-in user.",
	"MutedAccount":                "is an account in the mute list, with when the mute ends.",
	"AccountRole":                 "is a role badge shown on a profile.",
	"Field":                       "is one name/value pair of profile metadata.",
	"Role":                        "is a user role with its permission bits.",
	"Status":                      "is a post: its content, author, media, poll, card and counters.",
	"StatusApplication":           "names the app a status was posted with.",
	"StatusMention":               "is an account mentioned in a status.",
	"StatusTag":                   "is a hashtag used in a status.",
	"StatusEdit":                  "is one revision of an edited status.",
	"StatusSource":                "is the plain text of a status, for editing.",
	"Quote":                       "is a quoted status sent in full, with the quote's state.",
	"ShallowQuote":                "is a quoted status sent by ID only, with the quote's state.",
	"QuoteApproval":               "says who may quote a status and whether the current user may.",
	"Poll":                        "is a poll attached to a status.",
	"PollOption":                  "is one choice of a poll.",
	"MediaAttachment":             "is an image, video, audio or other file attached to a status.",
	"MediaAttachmentMeta":         "holds the dimensions, durations, focus point and colours of an attachment; which fields are set depends on the attachment's Type.",
	"MetaDetails":                 "describes one rendition (original or small) of an attachment.",
	"PreviewCard":                 "is the rich preview of a link in a status.",
	"PreviewCardAuthor":           "is an author of a previewed link, with their fediverse account if known.",
	"TrendsLink":                  "is a trending link: a preview card with its usage history.",
	"Context":                     "is the thread around a status: ancestors and descendants.",
	"ScheduledStatus":             "is a status waiting to be published.",
	"ScheduledStatusParams":       "holds the parameters a scheduled status will be posted with.",
	"Conversation":                "is a direct-message thread.",
	"CustomEmoji":                 "is a custom emoji of a server.",
	"Tag":                         "is a hashtag with its usage history.",
	"TagHistory":                  "is one day of a hashtag's or link's usage.",
	"AdminTag":                    "is a hashtag as moderators see it.",
	"Application":                 "is an app registered with a server.",
	"CredentialApplication":       "is a newly registered app with its client credentials.",
	"Token":                       "is an OAuth access token.",
	"Error":                       "is the error body a server answers with.",
	"ValidationError":             "is a validation error with per-field details.",
	"Relationship":                "is how the current user relates to another account.",
	"List":                        "is a user-made list of accounts with its own timeline.",
	"Notification":                "is an event that concerns the current user.",
	"NotificationGroup":           "is a group of notifications of one kind about one thing.",
	"GroupedNotificationsResults": "is a page of grouped notifications with the accounts and statuses they refer to.",
	"Instance":                    "describes a server (API v2).",
	"V1Instance":                  "describes a server (API v1).",
	"Filter":                      "is a user-defined filter with keywords and statuses (API v2).",
	"V1Filter":                    "is a keyword filter (API v1).",
	"FilterResult":                "is a filter that matched a status, and what matched.",
	"FilterKeyword":               "is a keyword a filter matches.",
	"FilterStatus":                "is a status a filter matches.",
	"Search":                      "is the result of a search.",
	"Report":                      "is a report filed against an account.",
	"Announcement":                "is an announcement by the server's staff.",
	"Reaction":                    "is an emoji reaction to an announcement.",
	"Marker":                      "is a saved read position in a timeline.",
	"Preferences":                 "holds the current user's preferences.",
	"WebPushSubscription":         "is a Web Push subscription.",
	"WebPushSubscriptionAlerts":   "says which notification types a push subscription receives.",
	"Suggestion":                  "is an account suggested to follow, with why.",
	"FeaturedTag":                 "is a hashtag featured on a profile.",
	"DomainBlock":                 "is a domain blocked by the server.",
	"Rule":                        "is a server rule.",
	"Translation":                 "is a machine translation of a status.",
	"AdminAccount":                "is an account as moderators see it.",
	"AdminReport":                 "is a report as moderators see it.",
	"AdminIP":                     "is an IP address an account used.",
	"OAuthScope":                  "is an OAuth scope.",
	"StatusVisibility":            "says who can see a status.",
	"NotificationType":            "is the kind of event a notification is about.",
	"MediaAttachmentType":         "is the kind of file an attachment is.",
	"NodeInfo":                    "is a server's NodeInfo document.",
	"PushNotification":            "is the payload of a decrypted Web Push message.",
	"AccountCreationError":        "is the error body when creating an account fails validation.",
}

func typeDoc(t *typ) string {
	if d, ok := typeDocs[t.Name]; ok {
		return t.Name + " " + d
	}
	if t.IsEnum {
		return t.Name + " is an enumerated string; unknown values are kept."
	}
	label := t.Label
	if label == "" {
		label = humanize(t.Name)
	}
	label = strings.TrimSuffix(label, ".")
	art := "a"
	if strings.ContainsRune("aeiou", rune(strings.ToLower(label)[0])) {
		art = "an"
	}
	return t.Name + " holds " + art + " " + label + "."
}

func humanize(name string) string {
	var b strings.Builder
	for i, r := range name {
		if i > 0 && r >= 'A' && r <= 'Z' {
			prev := name[i-1]
			if prev >= 'a' && prev <= 'z' {
				b.WriteByte(' ')
			}
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}
