package mastodon

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestParsePushNotification(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		wantID  string
		wantErr bool
	}{
		{"numeric id", `{"notification_id":334290,"title":"t"}`, "334290", false},
		{"string id", `{"notification_id":"109876543210123456","title":"t"}`, "109876543210123456", false},
		{"null fields", `{"notification_id":null,"title":null,"icon":null}`, "", false},
		{"big numeric id", `{"notification_id":18446744073709551615}`, "18446744073709551615", false},
		{"fractional id", `{"notification_id":1.5}`, "", true},
		{"negative id", `{"notification_id":-3}`, "", true},
		{"object id", `{"notification_id":{}}`, "", true},
		{"title not a string", `{"title":5}`, "", true},
		{"array", `[1,2]`, "", true},
		{"null", `null`, "", true},
		{"string", `"x"`, "", true},
		{"empty", ``, "", true},
		{"unknown fields are fine", `{"notification_id":7,"quote":{"id":"1"}}`, "7", false},
		{"not JSON", `When I grow up`, "", true},
		{"truncated", `{"title":"abc`, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, err := ParsePushNotification([]byte(tt.in))
			if tt.wantErr {
				if !errors.Is(err, ErrPushPayload) {
					t.Fatalf("err = %v, want ErrPushPayload", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n.NotificationID != tt.wantID {
				t.Fatalf("NotificationID = %q, want %q", n.NotificationID, tt.wantID)
			}
		})
	}
}

func TestPushNotificationHidesAccessToken(t *testing.T) {
	n := PushNotification{AccessToken: "s3cr3t-token-value", NotificationID: "1", Title: "hello"}
	var logged bytes.Buffer
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("push", "n", n, "p", &n)
	outs := []string{logged.String()}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%d", "%q"} {
		outs = append(outs, fmt.Sprintf(verb, n), fmt.Sprintf(verb, &n))
	}
	for _, out := range outs {
		if strings.Contains(out, "s3cr3t") {
			t.Fatalf("output shows the access token: %s", out)
		}
	}
	if !strings.Contains(fmt.Sprint(n), "hello") {
		t.Errorf("String() = %s, want the title", n)
	}
}

func FuzzParsePushNotification(f *testing.F) {
	f.Add([]byte(`{"access_token":"t","notification_id":334290,"notification_type":"mention","title":"x","body":"y","icon":"z","preferred_locale":"en"}`))
	f.Add([]byte(`{"notification_id":"1","extra":{"a":[1]}}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParsePushNotification(data)
		if err != nil {
			if !errors.Is(err, ErrPushPayload) {
				t.Fatalf("error kind: %v", err)
			}
			return
		}
		if n == nil {
			t.Fatal("nil notification without error")
		}
	})
}

// TestPushPayloadErrorsHoldNoToken: a payload refused for its shape never
// shows its access token in the error.
func TestPushPayloadErrorsHoldNoToken(t *testing.T) {
	for _, in := range []string{
		`{"access_token":"s3cr3t-token-value","notification_id":{}}`,
		`{"access_token":"s3cr3t-token-value","title":5}`,
		`["s3cr3t-token-value"]`,
	} {
		_, err := ParsePushNotification([]byte(in))
		if !errors.Is(err, ErrPushPayload) {
			t.Fatalf("%s: err = %v, want ErrPushPayload", in, err)
		}
		if strings.Contains(err.Error(), "s3cr3t") {
			t.Fatalf("%s: error %q shows the token", in, err)
		}
	}
}
