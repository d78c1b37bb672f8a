package mastodon

import (
	"reflect"
	"testing"
)

// TestNoShadowedFields: no entity declares a member that a type it embeds
// declares too; the outer one would take what the server sent and leave
// the embedded one empty (CredentialAccount.Role left Account.Role nil).
func TestNoShadowedFields(t *testing.T) {
	for name, mk := range entityTypes {
		rt := reflect.TypeOf(mk())
		for rt.Kind() == reflect.Pointer {
			rt = rt.Elem()
		}
		if rt.Kind() != reflect.Struct {
			continue
		}
		for i := range rt.NumField() {
			emb := rt.Field(i)
			if !emb.Anonymous || emb.Type.Kind() != reflect.Struct || !emb.IsExported() {
				continue
			}
			for j := range rt.NumField() {
				f := rt.Field(j)
				if f.Anonymous {
					continue
				}
				if _, ok := emb.Type.FieldByName(f.Name); ok {
					t.Errorf("%s.%s shadows %s.%s", name, f.Name, emb.Name, f.Name)
				}
			}
		}
	}
}

// TestCredentialAccountFillsItsAccount: the members CredentialAccount used
// to repeat land in its Account.
func TestCredentialAccountFillsItsAccount(t *testing.T) {
	var ca CredentialAccount
	if err := unmarshalJSON([]byte(`{"id":"1","username":"a","role":{"id":"3","name":"Admin","permissions":"1"},"source":{"note":"hi","privacy":"public"}}`), &ca); err != nil {
		t.Fatal(err)
	}
	if ca.Account.Role == nil || ca.Account.Role.Name != "Admin" || ca.Account.ID != "1" {
		t.Errorf("Account.Role = %+v", ca.Account.Role)
	}
	if ca.Account.Source == nil || ca.Account.Source.Note != "hi" {
		t.Errorf("Account.Source = %+v", ca.Account.Source)
	}
	var ma MutedAccount
	if err := unmarshalJSON([]byte(`{"id":"2","mute_expires_at":"2026-01-02T03:04:05.000Z"}`), &ma); err != nil {
		t.Fatal(err)
	}
	if ma.Account.MuteExpiresAt == nil || ma.Account.MuteExpiresAt.Year() != 2026 {
		t.Errorf("MutedAccount: Account.MuteExpiresAt = %v", ma.Account.MuteExpiresAt)
	}
	var tok Token
	if err := unmarshalJSON([]byte(`{"access_token":"a","created_at":100,"refresh_token":"r","expires_in":"60"}`), &tok); err != nil {
		t.Fatal(err)
	}
	if tok.RefreshToken != "r" || tok.ExpiresIn != 60 || tok.Expiry().Unix() != 160 {
		t.Errorf("token %+v, expiry %v", tok, tok.Expiry())
	}
}
