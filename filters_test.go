package mastodon

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/tuskgo/mastodon/internal/corpus"
)

// dropRecordedParam removes a body parameter Mastodon.py sends although
// the endpoint does not take it (it copies the path parameter filter_id
// into the body), so the replay compares what the API reads.
func dropRecordedParam(it *corpus.Interaction, key string) {
	b := &it.Request.Body
	if _, ok := b.Form[key]; ok {
		form := map[string][]string{}
		for k, v := range b.Form {
			if k != key {
				form[k] = v
			}
		}
		b.Form = form
	}
	if len(b.JSON) > 0 {
		var m map[string]json.RawMessage
		if json.Unmarshal(b.JSON, &m) == nil {
			if _, ok := m[key]; ok {
				delete(m, key)
				b.JSON, _ = json.Marshal(m)
			}
		}
	}
}

func rContexts(v []string) []FilterContext {
	var out []FilterContext
	for _, s := range v {
		out = append(out, FilterContext(s))
	}
	return out
}

func filtersReplay(cases *replayTable) {
	cases.add("GET /api/v1/filters", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.ListV1(ctx)
		return err
	})
	cases.add("GET /api/v1/filters/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.GetV1(ctx, it.PathParam("id"))
		return err
	})
	cases.add("POST /api/v1/filters", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.CreateV1(ctx, rform(it, "phrase"), rContexts(rforms(it, "context[]")),
			&V1FilterParams{Irreversible: rbool(rform(it, "irreversible")), WholeWord: rbool(rform(it, "whole_word"))})
		return err
	})
	cases.add("DELETE /api/v1/filters/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Filters.DeleteV1(ctx, it.PathParam("id"))
	})
	cases.add("POST /api/v2/filters", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		var b struct {
			Title        string          `json:"title"`
			Context      []FilterContext `json:"context"`
			FilterAction FilterAction    `json:"filter_action"`
			Keywords     []struct {
				Keyword   string `json:"keyword"`
				WholeWord *bool  `json:"whole_word"`
			} `json:"keywords_attributes"`
		}
		if err := json.Unmarshal(it.Request.Body.JSON, &b); err != nil {
			return err
		}
		p := &CreateFilterParams{FilterAction: b.FilterAction}
		for _, k := range b.Keywords {
			p.Keywords = append(p.Keywords, FilterKeywordAttributes{Keyword: k.Keyword, WholeWord: k.WholeWord})
		}
		_, err := c.Filters.Create(ctx, b.Title, b.Context, p)
		return err
	})
	cases.add("GET /api/v2/filters/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.Get(ctx, it.PathParam("id"))
		return err
	})
	cases.add("PUT /api/v2/filters/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		dropRecordedParam(it, "filter_id")
		var b struct {
			Title        string          `json:"title"`
			Context      []FilterContext `json:"context"`
			FilterAction FilterAction    `json:"filter_action"`
		}
		if err := json.Unmarshal(it.Request.Body.JSON, &b); err != nil {
			return err
		}
		_, err := c.Filters.Update(ctx, it.PathParam("id"), &UpdateFilterParams{Title: b.Title, Context: b.Context, FilterAction: b.FilterAction})
		return err
	})
	cases.add("DELETE /api/v2/filters/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Filters.Delete(ctx, it.PathParam("id"))
	})
	cases.add("GET /api/v2/filters/{filter_id}/keywords", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.Keywords(ctx, it.PathParam("filter_id"))
		return err
	})
	cases.add("POST /api/v2/filters/{filter_id}/keywords", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		dropRecordedParam(it, "filter_id")
		_, err := c.Filters.AddKeyword(ctx, it.PathParam("filter_id"), rform(it, "keyword"), &FilterKeywordOptions{WholeWord: rbool(rform(it, "whole_word"))})
		return err
	})
	cases.add("DELETE /api/v2/filters/keywords/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Filters.DeleteKeyword(ctx, it.PathParam("id"))
	})
	cases.add("GET /api/v2/filters/{filter_id}/statuses", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.Statuses(ctx, it.PathParam("filter_id"))
		return err
	})
	cases.add("POST /api/v2/filters/{filter_id}/statuses", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.AddStatus(ctx, it.PathParam("filter_id"), rform(it, "status_id"))
		return err
	})
	cases.add("GET /api/v2/filters/statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		_, err := c.Filters.GetStatus(ctx, it.PathParam("id"))
		return err
	})
	cases.add("DELETE /api/v2/filters/statuses/{id}", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		return c.Filters.DeleteStatus(ctx, it.PathParam("id"))
	})
}

const v1FilterSampleJSON = `{"id":"6191","phrase":"anime","context":["notifications","home"],"whole_word":true,"expires_at":"2019-11-26T09:08:06.254Z","irreversible":false}`

func TestFiltersV1(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/filters", func(w http.ResponseWriter, r *http.Request) {
		testHeader(t, r, "Authorization", "Bearer "+testToken)
		switch r.Method {
		case "GET":
			fmt.Fprint(w, `[`+v1FilterSampleJSON+`]`)
		case "POST":
			testForm(t, r, "phrase=anime&context[]=notifications&context[]=home&whole_word=true&irreversible=false&expires_in=3600")
			fmt.Fprint(w, v1FilterSampleJSON)
		}
	})
	mux.HandleFunc("/api/v1/filters/6191", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, v1FilterSampleJSON)
		case "PUT":
			testForm(t, r, "phrase=manga&context[]=public")
			fmt.Fprint(w, v1FilterSampleJSON)
		case "DELETE":
			fmt.Fprint(w, `{}`)
		}
	})
	ctx := context.Background()
	fs, err := c.Filters.ListV1(ctx)
	if err != nil || len(fs) != 1 || fs[0].Phrase != "anime" || !fs[0].WholeWord || fs[0].ExpiresAt == nil || len(fs[0].Context) != 2 {
		t.Fatalf("ListV1: %+v %v", fs, err)
	}
	f, err := c.Filters.CreateV1(ctx, "anime", []FilterContext{FilterContextNotifications, FilterContextHome},
		&V1FilterParams{WholeWord: Ptr(true), Irreversible: Ptr(false), ExpiresIn: time.Hour})
	if err != nil || f.ID != "6191" {
		t.Fatalf("CreateV1: %+v %v", f, err)
	}
	if f, err = c.Filters.GetV1(ctx, "6191"); err != nil || f.Irreversible {
		t.Fatalf("GetV1: %+v %v", f, err)
	}
	if _, err = c.Filters.UpdateV1(ctx, "6191", &UpdateV1FilterParams{Phrase: "manga", Context: []FilterContext{FilterContextPublic}}); err != nil {
		t.Fatal(err)
	}
	if err = c.Filters.DeleteV1(ctx, "6191"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Filters.CreateV1(ctx, "", []FilterContext{FilterContextHome}, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty phrase: %v", err)
	}
	if _, err := c.Filters.CreateV1(ctx, "x", nil, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no context: %v", err)
	}
}

const filterSampleJSON = `{"id":"19972","title":"Test filter","context":["home"],"expires_at":"2022-09-20T17:27:39.296Z","filter_action":"warn","keywords":[{"id":"1197","keyword":"bad word","whole_word":false}],"statuses":[{"id":"1","status_id":"109031743575371913"}]}`

func readJSONBody(t *testing.T, r *http.Request) string {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func TestFiltersV2(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v2/filters", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, `[`+filterSampleJSON+`]`)
		case "POST":
			got := readJSONBody(t, r)
			want := `{"title":"Test filter","context":["home","public"],"filter_action":"hide","expires_in":86400,"keywords_attributes":[{"keyword":"spam","whole_word":true},{"keyword":"eggs","whole_word":false}]}`
			if got != want {
				t.Errorf("body %s\nwant %s", got, want)
			}
			fmt.Fprint(w, filterSampleJSON)
		}
	})
	mux.HandleFunc("/api/v2/filters/19972", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, filterSampleJSON)
		case "PUT":
			got := readJSONBody(t, r)
			want := `{"title":"Updated","filter_action":"blur","keywords_attributes":[{"id":"1197","_destroy":true},{"id":"1198","keyword":"ham"}]}`
			if got != want {
				t.Errorf("body %s\nwant %s", got, want)
			}
			fmt.Fprint(w, filterSampleJSON)
		case "DELETE":
			fmt.Fprint(w, `{}`)
		}
	})
	ctx := context.Background()
	fs, err := c.Filters.List(ctx)
	if err != nil || len(fs) != 1 || fs[0].FilterAction != FilterActionWarn || len(fs[0].Keywords) != 1 || fs[0].Statuses[0].StatusID != "109031743575371913" {
		t.Fatalf("List: %+v %v", fs, err)
	}
	kw := []FilterKeywordAttributes{{Keyword: "spam", WholeWord: Ptr(true)}, {Keyword: "eggs", WholeWord: Ptr(false)}}
	if _, err := c.Filters.Create(ctx, "Test filter", []FilterContext{FilterContextHome, FilterContextPublic},
		&CreateFilterParams{FilterAction: FilterActionHide, ExpiresIn: 24 * time.Hour, Keywords: kw}); err != nil {
		t.Fatal(err)
	}
	if f, err := c.Filters.Get(ctx, "19972"); err != nil || f.Title != "Test filter" {
		t.Fatalf("Get: %+v %v", f, err)
	}
	if _, err := c.Filters.Update(ctx, "19972", &UpdateFilterParams{Title: "Updated", FilterAction: FilterActionBlur,
		Keywords: []FilterKeywordAttributes{{ID: "1197", Destroy: true}, {ID: "1198", Keyword: "ham"}}}); err != nil {
		t.Fatal(err)
	}
	if err := c.Filters.Delete(ctx, "19972"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Filters.Create(ctx, " ", []FilterContext{FilterContextHome}, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty title: %v", err)
	}
	if _, err := c.Filters.Create(ctx, "x", nil, nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("no context: %v", err)
	}
}

func TestFiltersKeywordsAndStatuses(t *testing.T) {
	c, mux, _ := setup(t)
	kwJSON := `{"id":"1197","keyword":"bad word","whole_word":false}`
	mux.HandleFunc("/api/v2/filters/19972/keywords", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, `[`+kwJSON+`]`)
		case "POST":
			testForm(t, r, "keyword=bad+word&whole_word=false")
			fmt.Fprint(w, kwJSON)
		}
	})
	mux.HandleFunc("/api/v2/filters/keywords/1197", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, kwJSON)
		case "PUT":
			testForm(t, r, "keyword=worse+word")
			fmt.Fprint(w, kwJSON)
		case "DELETE":
			fmt.Fprint(w, `{}`)
		}
	})
	stJSON := `{"id":"4","status_id":"109031743575371913"}`
	mux.HandleFunc("/api/v2/filters/19972/statuses", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, `[`+stJSON+`]`)
		case "POST":
			testForm(t, r, "status_id=109031743575371913")
			fmt.Fprint(w, stJSON)
		}
	})
	mux.HandleFunc("/api/v2/filters/statuses/4", func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case "GET":
			fmt.Fprint(w, stJSON)
		case "DELETE":
			fmt.Fprint(w, `{}`)
		}
	})
	ctx := context.Background()
	if ks, err := c.Filters.Keywords(ctx, "19972"); err != nil || len(ks) != 1 || ks[0].Keyword != "bad word" {
		t.Fatalf("Keywords: %+v %v", ks, err)
	}
	if k, err := c.Filters.AddKeyword(ctx, "19972", "bad word", &FilterKeywordOptions{WholeWord: Ptr(false)}); err != nil || k.ID != "1197" {
		t.Fatalf("AddKeyword: %+v %v", k, err)
	}
	if _, err := c.Filters.GetKeyword(ctx, "1197"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Filters.UpdateKeyword(ctx, "1197", "worse word", nil); err != nil {
		t.Fatal(err)
	}
	if err := c.Filters.DeleteKeyword(ctx, "1197"); err != nil {
		t.Fatal(err)
	}
	if ss, err := c.Filters.Statuses(ctx, "19972"); err != nil || len(ss) != 1 {
		t.Fatalf("Statuses: %+v %v", ss, err)
	}
	if st, err := c.Filters.AddStatus(ctx, "19972", "109031743575371913"); err != nil || st.StatusID != "109031743575371913" {
		t.Fatalf("AddStatus: %+v %v", st, err)
	}
	if _, err := c.Filters.GetStatus(ctx, "4"); err != nil {
		t.Fatal(err)
	}
	if err := c.Filters.DeleteStatus(ctx, "4"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Filters.AddKeyword(ctx, "19972", "", nil); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty keyword: %v", err)
	}
	if _, err := c.Filters.AddStatus(ctx, "19972", ""); !errors.Is(err, ErrIllegalArgument) {
		t.Errorf("empty status: %v", err)
	}
	if _, err := c.Filters.Keywords(ctx, "/"); err == nil {
		t.Error("a slash in an id went through")
	}
}

func TestApplyFilters(t *testing.T) {
	past := time.Now().Add(-time.Hour)
	filters := []*V1Filter{
		{Phrase: "anime", Context: []FilterContext{FilterContextHome}, WholeWord: true},
		{Phrase: "Cat", Context: []FilterContext{FilterContextHome}},
		{Phrase: "#tag", Context: []FilterContext{FilterContextHome}, WholeWord: true},
		{Phrase: "ignored", Context: []FilterContext{FilterContextPublic}},
		{Phrase: "expired", Context: []FilterContext{FilterContextHome}, ExpiresAt: &past},
		nil,
	}
	st := func(id, content string) *Status { return &Status{ID: id, Content: content} }
	statuses := []*Status{
		st("1", "<p>I like ANIME a lot</p>"),        // whole word, any case
		st("2", "<p>animes are fine</p>"),           // not a whole word
		st("3", "<p>con<b>cat</b>enate</p>"),        // tags read as spaces, then "cat" matches
		st("4", "<p>nothing to see</p>"),            // kept
		st("5", "<p>ignored in home</p>"),           // other context
		st("6", "<p>this expired long ago</p>"),     // expired filter
		st("7", "<p>go #tag!</p>"),                  // phrase starting with a non-word character
		st("8", "<p>tom&amp;jerry&#39;s anime</p>"), // entities decoded
		{ID: "9", Reblog: st("10", "<p>anime</p>")},
		nil,
	}
	orig := append([]*Status(nil), statuses...)
	var kept []string
	for _, s := range ApplyFilters(statuses, filters, FilterContextHome) {
		if s == nil {
			kept = append(kept, "nil")
			continue
		}
		kept = append(kept, s.ID)
	}
	if fmt.Sprint(kept) != "[2 4 5 6 nil]" {
		t.Errorf("kept %v", kept)
	}
	for i := range orig {
		if statuses[i] != orig[i] {
			t.Fatal("the input slice changed")
		}
	}
	// Without a filter for the context, nothing is removed.
	if got := ApplyFilters(statuses, filters, FilterContextThread); len(got) != len(statuses) {
		t.Errorf("thread context kept %d of %d", len(got), len(statuses))
	}
	ns := []*Notification{{ID: "a", Status: st("1", "anime")}, {ID: "b"}, {ID: "c", Status: st("2", "fine")}}
	var nk []string
	for _, n := range ApplyFiltersToNotifications(ns, []*V1Filter{{Phrase: "anime", Context: []FilterContext{FilterContextNotifications}}}, FilterContextNotifications) {
		nk = append(nk, n.ID)
	}
	if fmt.Sprint(nk) != "[b c]" {
		t.Errorf("notifications kept %v", nk)
	}
}

func FuzzApplyFilters(f *testing.F) {
	f.Add("<p>I like anime</p>", "anime", true)
	f.Add("<p>con<b>cat</b>enate &amp; more", "cat", false)
	f.Add("\xff\xfe<p", "#", true)
	f.Add("<p>xa a a</p>", "a a", true)
	f.Add("<p>\u212a K k</p>", "k", true)
	f.Fuzz(func(t *testing.T, content, phrase string, whole bool) {
		fs := []*V1Filter{{Phrase: phrase, Context: []FilterContext{FilterContextHome}, WholeWord: whole}}
		out := ApplyFilters([]*Status{{Content: content}}, fs, FilterContextHome)
		if len(out) > 1 {
			t.Fatalf("%d statuses out of 1", len(out))
		}
		filtered := len(out) == 0
		if want := referenceFilterMatch(filterText(&Status{Content: content}), phrase, whole); filtered != want {
			t.Fatalf("content %q, phrase %q, whole word %v: filtered %v, want %v", content, phrase, whole, filtered, want)
		}
	})
}

// referenceFilterMatch is the filter rule spelled out: at some character
// of text the phrase's characters follow, each equal under Unicode simple
// case folding, and for a whole-word filter neither the character before
// nor the one after is a word character when the phrase's own first or
// last one is.
func referenceFilterMatch(text, phrase string, whole bool) bool {
	phrase = strings.ToValidUTF8(phrase, "\uFFFD")
	if phrase == "" {
		return false
	}
	pr := []rune(phrase)
	tr := []rune(text)
	foldEq := func(a, b rune) bool {
		for r := unicode.SimpleFold(a); ; r = unicode.SimpleFold(r) {
			if r == b {
				return true
			}
			if r == a {
				return false
			}
		}
	}
	for i := 0; i+len(pr) <= len(tr); i++ {
		ok := true
		for k, r := range pr {
			if !foldEq(tr[i+k], r) {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		if whole && isWordRune(pr[0]) && i > 0 && isWordRune(tr[i-1]) {
			continue
		}
		if end := i + len(pr); whole && isWordRune(pr[len(pr)-1]) && end < len(tr) && isWordRune(tr[end]) {
			continue
		}
		return true
	}
	return false
}

func TestApplyFiltersOverlappingWholeWord(t *testing.T) {
	// The first "a a" (at "xa") is not a whole word; the one after it,
	// which overlaps it, is.
	fs := []*V1Filter{{Phrase: "a a", Context: []FilterContext{FilterContextHome}, WholeWord: true}}
	if out := ApplyFilters([]*Status{{Content: "<p>xa a a</p>"}}, fs, FilterContextHome); len(out) != 0 {
		t.Error(`"xa a a" not filtered by whole-word "a a"`)
	}
	if out := ApplyFilters([]*Status{{Content: "<p>xa a ab</p>"}}, fs, FilterContextHome); len(out) != 1 {
		t.Error(`"xa a ab" filtered by whole-word "a a"`)
	}
}

// TestDurationsInParams: filter expiries round up to whole seconds (a
// filter asked to last 1.5s is not sent as 1), mutes and IP blocks round
// down, under a second is not sent; the caller's params stay as they were.
func TestDurationsInParams(t *testing.T) {
	c, mux, _ := setup(t)
	var got []string
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got = append(got, r.Method+" "+r.URL.Path+" "+string(b))
		fmt.Fprint(w, `{"id":"1"}`)
	})
	ctx := context.Background()
	v1 := &V1FilterParams{ExpiresIn: 1500 * time.Millisecond}
	if _, err := c.Filters.CreateV1(ctx, "x", []FilterContext{FilterContextHome}, v1); err != nil {
		t.Fatal(err)
	}
	v2 := &UpdateFilterParams{ExpiresIn: time.Millisecond}
	if _, err := c.Filters.Update(ctx, "7", v2); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Filters.Update(ctx, "7", &UpdateFilterParams{ExpiresIn: -time.Hour}); err != nil {
		t.Fatal(err)
	}
	mute := &MuteParams{Duration: 1999 * time.Millisecond}
	if _, err := c.Accounts.Mute(ctx, "3", mute); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Accounts.Mute(ctx, "3", &MuteParams{Duration: 999 * time.Millisecond}); err != nil {
		t.Fatal(err)
	}
	want := []string{
		"POST /api/v1/filters phrase=x&context%5B%5D=home&expires_in=2",
		`PUT /api/v2/filters/7 {"expires_in":1}`,
		`PUT /api/v2/filters/7 {}`,
		"POST /api/v1/accounts/3/mute duration=1",
		"POST /api/v1/accounts/3/mute ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sent\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if v1.ExpiresIn != 1500*time.Millisecond || v2.ExpiresIn != time.Millisecond || mute.Duration != 1999*time.Millisecond {
		t.Errorf("params changed: %v %v %v", v1.ExpiresIn, v2.ExpiresIn, mute.Duration)
	}
}
