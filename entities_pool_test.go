package mastodon

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
)

// TestDecoderPoolKeepsEarlierValues decodes many documents one after
// another on several goroutines, keeping every result, with failing
// documents (cut short, malformed) in between, and then checks every kept
// value against encoding/json: decoders are pooled and share their string
// blocks between documents, so a later document must never change what an
// earlier one decoded.
func TestDecoderPoolKeepsEarlierValues(t *testing.T) {
	var raws []json.RawMessage
	if err := json.Unmarshal(timelinePage(t), &raws); err != nil {
		t.Fatal(err)
	}
	type plain struct {
		ID, Content, URI, Language string
		SpoilerText                string `json:"spoiler_text"`
		Account                    struct {
			Acct, Note  string
			DisplayName string `json:"display_name"`
		}
		Tags []struct{ Name, URL string }
	}
	want := make([]plain, len(raws))
	for i, r := range raws {
		if err := json.Unmarshal(r, &want[i]); err != nil {
			t.Fatal(err)
		}
	}
	const workers, rounds = 4, 25
	got := make([][]*Status, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				for i, raw := range raws {
					s := new(Status)
					if err := Unmarshal(raw, s); err != nil {
						t.Error(err)
						return
					}
					got[w] = append(got[w], s)
					// A failing document in between, cut at a different place
					// each time, then a list of accounts.
					var bad Status
					if Unmarshal(raw[:(i*37+r*11)%len(raw)], &bad) == nil {
						t.Errorf("a status cut short decoded without error")
					}
					var accts []Account
					if err := Unmarshal([]byte(`[{"id":"1","acct":"a\u003cb","note":"x\"y"},{"id":"2","acct":"c"}]`), &accts); err != nil || len(accts) != 2 || accts[0].Acct != "a<b" {
						t.Errorf("accounts %+v, %v", accts, err)
					}
				}
			}
		})
	}
	wg.Wait()
	for w := range workers {
		for k, s := range got[w] {
			p := want[k%len(raws)]
			var tags []string
			for _, tg := range s.Tags {
				tags = append(tags, tg.Name+" "+tg.URL)
			}
			var wantTags []string
			for _, tg := range p.Tags {
				wantTags = append(wantTags, tg.Name+" "+tg.URL)
			}
			lang := ""
			if s.Language != nil {
				lang = *s.Language
			}
			if s.ID != p.ID || s.Content != p.Content || s.URI != p.URI || lang != p.Language || s.SpoilerText != p.SpoilerText ||
				s.Account.Acct != p.Account.Acct || s.Account.Note != p.Account.Note || s.Account.DisplayName != p.Account.DisplayName ||
				fmt.Sprint(tags) != fmt.Sprint(wantTags) {
				t.Fatalf("worker %d, value %d changed after later documents:\n got %q %q %q %q %q %q\nwant %q %q %q %q %q %q", w, k, s.URI, lang, s.SpoilerText, s.Account.Note, s.Account.DisplayName, tags, p.URI, p.Language, p.SpoilerText, p.Account.Note, p.Account.DisplayName, wantTags)
			}
		}
	}
}
