package mastodon

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// timelinePage builds a realistic home timeline page of 40 statuses (about
// 230 KB) from recorded statuses and media and the OpenAPI examples:
// long HTML content, accounts with profile fields and emoji, media with
// metadata, link cards, polls, mentions, tags and boosts.
func timelinePage(tb testing.TB) []byte {
	tb.Helper()
	pageOnce.Do(func() { page, pageErr = buildTimelinePage(tb) })
	if pageErr != nil {
		tb.Fatal(pageErr)
	}
	return page
}

var (
	pageOnce sync.Once
	page     []byte
	pageErr  error
)

func buildTimelinePage(tb testing.TB) ([]byte, error) {
	specFile := filepath.Join(corpus.Dir(tb), "..", "spec", "mastodon-openapi.json")
	raw, err := os.ReadFile(specFile)
	if err != nil {
		tb.Skipf("spec not found: %v", err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Example json.RawMessage `json:"example"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, err
	}
	example := func(name string) map[string]any {
		var m map[string]any
		if err := json.Unmarshal(doc.Components.Schemas[name].Example, &m); err != nil {
			tb.Fatalf("example %s: %v", name, err)
		}
		return m
	}
	var statuses, media []map[string]any
	for _, p := range corpus.Interactions(tb) {
		it := p.Interaction
		switch it.Entity {
		case "Status":
			var m map[string]any
			if json.Unmarshal(it.Response.Body.JSON, &m) == nil && m["content"] != nil {
				statuses = append(statuses, m)
			}
		case "MediaAttachment":
			var m map[string]any
			if json.Unmarshal(it.Response.Body.JSON, &m) == nil {
				media = append(media, m)
			}
		}
	}
	if len(statuses) == 0 || len(media) == 0 {
		return nil, fmt.Errorf("corpus has no statuses or media")
	}
	clone := func(m map[string]any) map[string]any {
		b, _ := json.Marshal(m)
		var c map[string]any
		_ = json.Unmarshal(b, &c)
		return c
	}
	emoji := example("CustomEmoji")
	account := func(i int) map[string]any {
		a := clone(example("Account"))
		a["id"] = fmt.Sprint(100000 + i)
		a["username"] = fmt.Sprintf("user%d", i)
		a["acct"] = fmt.Sprintf("user%d@example.social", i)
		a["display_name"] = fmt.Sprintf("User %d :blobaww:", i)
		a["emojis"] = []any{emoji}
		a["note"] = `<p>Writes Go, reads too much, posts about <a href="https://example.social/tags/fediverse" class="mention hashtag" rel="tag">#<span>fediverse</span></a> things.</p>`
		if fs, ok := a["fields"].([]any); ok && len(fs) > 2 {
			a["fields"] = fs[:2]
		}
		return a
	}
	paragraph := `<p>Spent the morning reading about <a href="https://example.social/tags/golang" class="mention hashtag" rel="tag">#<span>golang</span></a> and federated timelines, with <span class="h-card"><a href="https://example.social/@friend" class="u-url mention">@<span>friend</span></a></span> :blobaww: — notes and links below. <a href="https://blog.example.org/2026/08/01/a-long-article-about-json-decoding-speed" rel="nofollow noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">blog.example.org/2026/08/01/a-</span><span class="invisible">long-article-about-json-decoding-speed</span></a></p>`
	var out []any
	for i := range 40 {
		st := clone(statuses[i%len(statuses)])
		st["id"] = fmt.Sprint(115000000000000000 + i)
		st["created_at"] = fmt.Sprintf("2026-08-01T13:%02d:00.728Z", 59-i)
		st["account"] = account(i)
		st["content"] = strings.Repeat(paragraph, 1+i%2)
		st["emojis"] = []any{emoji}
		st["tags"] = []any{map[string]any{"name": "golang", "url": "https://example.social/tags/golang"}}
		st["mentions"] = []any{map[string]any{"id": "42", "username": "friend", "acct": "friend", "url": "https://example.social/@friend"}}
		st["replies_count"], st["reblogs_count"], st["favourites_count"] = i, 2*i, 3*i
		if i%3 == 0 {
			var ms []any
			for j := range 1 + i%4 {
				m := clone(media[(i+j)%len(media)])
				m["id"] = fmt.Sprint(116000000000000000 + 10*i + j)
				ms = append(ms, m)
			}
			st["media_attachments"] = ms
		}
		if i%4 == 1 {
			st["card"] = clone(example("Status")["card"].(map[string]any))
		}
		if i%6 == 2 {
			st["poll"] = clone(example("Poll"))
		}
		if i%5 == 3 {
			boost := clone(st)
			boost["id"] = fmt.Sprint(115500000000000000 + i)
			boost["account"] = account(1000 + i)
			boost["content"] = ""
			boost["media_attachments"] = []any{}
			boost["card"], boost["poll"] = nil, nil
			boost["reblog"] = st
			st = boost
		}
		out = append(out, st)
	}
	return json.Marshal(out)
}

func TestTimelinePageShape(t *testing.T) {
	p := timelinePage(t)
	var got []*Status
	if err := unmarshalJSON(p, &got); err != nil {
		t.Fatal(err)
	}
	var cards, media, polls, boosts int
	for _, s := range got {
		if s.Reblog != nil {
			boosts++
			s = s.Reblog
		}
		if s.Card != nil {
			cards++
		}
		if s.Poll != nil {
			polls++
		}
		media += len(s.MediaAttachments)
	}
	if len(got) != 40 || cards == 0 || media == 0 || polls == 0 || boosts == 0 {
		t.Fatalf("page: %d statuses, %d cards, %d media, %d polls, %d boosts", len(got), cards, media, polls, boosts)
	}
	if len(p) < 150_000 || len(p) > 300_000 {
		t.Fatalf("page is %d bytes, want about 230 KB", len(p))
	}
	t.Logf("page: %d bytes, %d statuses, %d cards, %d media, %d polls, %d boosts", len(p), len(got), cards, media, polls, boosts)
	out, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	diffs, err := jsonDiff(p, out)
	if err != nil || len(diffs) > 0 {
		t.Fatalf("round trip: %v %v", err, diffs)
	}
}

// BenchmarkDecodeTimeline decodes a 40-status page with the entity decoder
// and, for comparison, with encoding/json into plain structs of the same
// shape. allocs/status is allocations per op divided by 40.
func BenchmarkDecodeTimeline(b *testing.B) {
	p := timelinePage(b)
	run := func(b *testing.B, decode func() error) {
		b.SetBytes(int64(len(p)))
		b.ReportAllocs()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		before := ms.Mallocs
		for b.Loop() {
			if err := decode(); err != nil {
				b.Fatal(err)
			}
		}
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.Mallocs-before)/float64(b.N)/40, "allocs/status")
	}
	b.Run("tusk", func(b *testing.B) {
		run(b, func() error {
			var v []*Status
			return unmarshalJSON(p, &v)
		})
	})
	b.Run("encoding_json_plain", func(b *testing.B) {
		run(b, func() error {
			var v []*plainStatus
			return json.Unmarshal(p, &v)
		})
	})
}

// BenchmarkEncodeTimeline re-encodes a decoded page.
func BenchmarkEncodeTimeline(b *testing.B) {
	p := timelinePage(b)
	var v []*Status
	if err := unmarshalJSON(p, &v); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(p)))
	b.ReportAllocs()
	for b.Loop() {
		var e encoder
		e.b = append(e.b, '[')
		for i, s := range v {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			s.encode(&e)
		}
		e.b = append(e.b, ']')
	}
}
