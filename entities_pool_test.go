package mastodon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
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
	enc := make([][][]byte, workers) // each value encoded right after decoding
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
					e, err := json.Marshal(s)
					if err != nil {
						t.Error(err)
						return
					}
					enc[w] = append(enc[w], e)
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
			// Every member, pointer targets (shared blocks of bools, ints,
			// floats and times) included.
			if e, _ := json.Marshal(s); !bytes.Equal(e, enc[w][k]) {
				t.Fatalf("worker %d, value %d encodes differently after later documents:\n got %s\nwant %s", w, k, e, enc[w][k])
			}
		}
	}
}

// TestDecoderPoolKeepsNoEntities checks what a decoder keeps for the next
// document once done with one: only blocks whose elements hold no
// pointers (time.Time's location aside), so that the pool never keeps an
// earlier document's entities or strings alive through a kept block.
func TestDecoderPoolKeepsNoEntities(t *testing.T) {
	var raws []json.RawMessage
	if err := json.Unmarshal(timelinePage(t), &raws); err != nil {
		t.Fatal(err)
	}
	d := new(decoder)
	for _, raw := range raws[:3] {
		d.b = raw
		var s Status
		if !s.decodeValue(d) || d.finish() != nil {
			t.Fatal("decoding failed", d.err)
		}
		d.reset()
	}
	kept := map[string]bool{"buf": true, "arena": true, "bools": true, "ints": true, "floats": true, "times": true}
	var check func(v reflect.Value, path string)
	check = func(v reflect.Value, path string) {
		switch {
		case v.Kind() == reflect.Struct:
			for i := range v.NumField() {
				check(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case kept[strings.TrimPrefix(path, ".")]:
			if v.Kind() != reflect.Slice || v.Type().Elem() != reflect.TypeFor[time.Time]() && hasPointers(v.Type().Elem()) {
				t.Errorf("decoder%s (%s) is kept: it may refer to earlier documents", path, v.Type())
			}
		case !v.IsZero():
			t.Errorf("decoder%s (%s) is not dropped between documents", path, v.Type())
		}
	}
	check(reflect.ValueOf(d).Elem(), "")
	if cap(d.arena) == 0 || cap(d.ints) == 0 || cap(d.bools) == 0 {
		t.Errorf("blocks not kept: arena %d, ints %d, bools %d", cap(d.arena), cap(d.ints), cap(d.bools))
	}
}

// hasPointers reports whether values of t hold pointers.
func hasPointers(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Array:
		return hasPointers(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasPointers(t.Field(i).Type) {
				return true
			}
		}
		return false
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return false
	}
	return true
}

// TestDecodeListsInBlocks decodes lists of entities of many lengths one
// after another, so that they start in the free rest of a block, fill it,
// move to a new block when they outgrow it, or start one: every list must
// come out whole, and appending to one must not change another.
func TestDecodeListsInBlocks(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 20 {
		var b strings.Builder
		var want [][]string
		b.WriteByte('[')
		for i := range 1 + rng.IntN(60) {
			if i > 0 {
				b.WriteByte(',')
			}
			n := rng.IntN(12)
			if rng.IntN(4) == 0 {
				n = rng.IntN(300)
			}
			var codes []string
			fmt.Fprintf(&b, `{"id":"%d","emojis":[`, i)
			for j := range n {
				if j > 0 {
					b.WriteByte(',')
				}
				c := fmt.Sprintf("e%d_%d_%d", round, i, j)
				codes = append(codes, c)
				fmt.Fprintf(&b, `{"shortcode":%q,"url":"u","static_url":"s","visible_in_picker":true}`, c)
			}
			b.WriteString(`]}`)
			want = append(want, codes)
		}
		b.WriteByte(']')
		var got []Account
		if err := Unmarshal([]byte(b.String()), &got); err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			if len(got) != len(want) {
				t.Fatalf("%d accounts, want %d", len(got), len(want))
			}
			for i, a := range got {
				var codes []string
				for _, e := range a.Emojis {
					codes = append(codes, e.Shortcode)
				}
				if fmt.Sprint(codes) != fmt.Sprint(want[i]) {
					t.Fatalf("round %d, account %d %s: emojis %v, want %v", round, i, when, codes, want[i])
				}
			}
		}
		check("decoded")
		for i := range got {
			_ = append(got[i].Emojis, CustomEmoji{Shortcode: "appended"})
		}
		check("after appending to each list")
	}
}
