package mastodon

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// ErrPushPayload is matched (errors.Is) by the error of
// ParsePushNotification: a decrypted push message that is not Mastodon's
// notification payload.
var ErrPushPayload = errors.New("mastodon: invalid push payload")

func pushPayloadErr(detail string, cause error) error {
	if cause != nil {
		return fmt.Errorf("%w: %s: %w", ErrPushPayload, detail, cause)
	}
	return fmt.Errorf("%w: %s", ErrPushPayload, detail)
}

// ParsePushNotification decodes a push message decrypted with package
// webpush (Keys.Decrypt or Keys.DecryptRequest): Mastodon's
// Web::NotificationSerializer object (access_token, notification_id,
// notification_type, preferred_locale, icon, title, body). The notification
// ID arrives as a JSON number and is kept as a string ID. The payload must be
// a JSON object with string members where Mastodon sends strings;
// anything else is ErrPushPayload.
func ParsePushNotification(plain []byte) (*PushNotification, error) {
	var known struct {
		AccessToken      *string         `json:"access_token"`
		NotificationID   json.RawMessage `json:"notification_id"`
		NotificationType *string         `json:"notification_type"`
		PreferredLocale  *string         `json:"preferred_locale"`
		Icon             *string         `json:"icon"`
		Title            *string         `json:"title"`
		Body             *string         `json:"body"`
	}
	trimmed := bytes.TrimSpace(plain)
	if len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, pushPayloadErr("payload is not a JSON object", nil)
	}
	if err := json.Unmarshal(trimmed, &known); err != nil {
		return nil, pushPayloadErr("payload is not a Mastodon notification object", err)
	}
	id, err := decodeFlexibleID(known.NotificationID)
	if err != nil {
		return nil, pushPayloadErr("notification_id is neither an integer nor a string", nil)
	}
	// The entity's own decoder keeps the members this package does not
	// know; its verdict on the typed fields is checked above.
	var n PushNotification
	_ = unmarshalJSON(trimmed, &n)
	set := func(dst *string, v *string) {
		if v != nil && *dst != *v {
			*dst = *v
		}
	}
	set(&n.AccessToken, known.AccessToken)
	set(&n.NotificationType, known.NotificationType)
	set(&n.PreferredLocale, known.PreferredLocale)
	set(&n.Icon, known.Icon)
	set(&n.Title, known.Title)
	set(&n.Body, known.Body)
	set(&n.NotificationID, &id)
	return &n, nil
}

// decodeFlexibleID reads an ID sent as a JSON string or an integer.
func decodeFlexibleID(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var num json.Number
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&num); err != nil {
		return "", err
	}
	if _, err := strconv.ParseUint(num.String(), 10, 64); err != nil {
		return "", fmt.Errorf("not an integer ID")
	}
	return num.String(), nil
}

// String prints the notification with the access token redacted; with
// GoString, Format and LogValue it keeps the token out of fmt and slog
// output.
func (n PushNotification) String() string {
	return fmt.Sprintf("PushNotification{ID: %q, Type: %q, Title: %q, Body: %q, Icon: %q, Locale: %q, AccessToken: redacted}",
		n.NotificationID, n.NotificationType, n.Title, n.Body, n.Icon, n.PreferredLocale)
}

// GoString is String, for %#v.
func (n PushNotification) GoString() string { return n.String() }

// Format prints the same as String whatever the verb.
func (n PushNotification) Format(f fmt.State, _ rune) { io.WriteString(f, n.String()) }

// LogValue keeps the access token out of slog output.
func (n PushNotification) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("notification_id", n.NotificationID),
		slog.String("notification_type", n.NotificationType),
		slog.String("title", n.Title),
	)
}
