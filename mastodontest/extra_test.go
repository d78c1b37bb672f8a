package mastodontest

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"
)

// TestExtraStateReleased checks that the state behind the push, report,
// domain block, suggestion, card and announcement endpoints goes away with
// what it belongs to, and with Reset, so a long-lived server stays flat.
func TestExtraStateReleased(t *testing.T) {
	s := NewTestServer(t, WithRateLimit(0, 0))
	alice, at := s.CreateUser("alice")
	ac := NewClient(s, at)
	p256, auth := pushKeys(t)
	bob := s.CreateAccount("bob", Discoverable())
	s.AddRule("No spam", "")

	for i := range 50 {
		tok := s.CreateToken(alice.ID, "push")
		c := NewClient(s, tok)
		c.JSON(t, 200, "POST", "/api/v1/push/subscription", url.Values{"subscription[endpoint]": {"https://push.example/" + string(rune('a'+i%26))},
			"subscription[keys][p256dh]": {p256}, "subscription[keys][auth]": {auth}, "data[alerts][mention]": {"1"}}, nil)
		if i%2 == 0 {
			c.JSON(t, 200, "DELETE", "/api/v1/push/subscription", nil, nil)
		}
		id := s.PublishAnnouncement("news", nil)
		ac.JSON(t, 200, "PUT", "/api/v1/announcements/"+id+"/reactions/"+url.PathEscape("👍"), nil, nil)
		ac.JSON(t, 200, "POST", "/api/v1/announcements/"+id+"/dismiss", nil, nil)
		s.DeleteAnnouncement(id)
		ac.JSON(t, 200, "POST", "/api/v1/domain_blocks", url.Values{"domain": {"x.example"}}, nil)
		ac.JSON(t, 200, "DELETE", "/api/v1/domain_blocks", url.Values{"domain": {"x.example"}}, nil)
		ac.JSON(t, 200, "DELETE", "/api/v1/suggestions/"+bob.ID, nil, nil)
		ac.JSON(t, 200, "DELETE", "/api/v1/suggestions/999999", nil, nil)
	}
	s.mu.Lock()
	x := s.st.x
	subs := 0
	for _, tok := range s.st.tokens {
		if tok.push != nil {
			subs++
		}
	}
	if subs != 25 || len(x.announcements) != 0 || len(x.domainBlocks) != 0 || len(x.hiddenSuggest) != 1 {
		t.Errorf("after churn: %d subscriptions, %d announcements, %d domain block lists, %d dismissals",
			subs, len(x.announcements), len(x.domainBlocks), len(x.hiddenSuggest))
	}
	s.mu.Unlock()

	ac.JSON(t, 200, "POST", "/api/v1/reports", url.Values{"account_id": {bob.ID}}, nil)
	s.SetPreviewCard("https://a.example/", PreviewCard{Title: "A"})
	s.SetTrends(false)
	s.SetTranslation(true)
	s.Reset()
	s.mu.Lock()
	x = s.st.x
	if len(x.reports)+len(x.rules)+len(x.cards)+len(x.announcements)+len(x.domainBlocks)+len(x.hiddenSuggest) != 0 ||
		x.trendsOff || x.translation != nil {
		t.Errorf("Reset kept extra state: %+v", x)
	}
	s.mu.Unlock()
}

// FuzzExtraInputs feeds arbitrary text to the parsers of the extra
// endpoints: none may panic, and normalised values are stable.
func FuzzExtraInputs(f *testing.F) {
	for _, seed := range []string{"", "example.org", "https://Example.ORG", "http://a.example/x?y=1.", "EVIL.example.",
		"bad domain!", "ftp://x", "https://user@host/", "👍", "1️⃣", "#", "🏳️‍🌈", "AAAA", "BKVGQPP3N11HgDaNnijkMZ7TNyhXzPQeho71LwdJKIgy4e3iBwb8e11Gudw/jS28llW5pvPv48OnoirwouofYCM=",
		"see (https://example.org/a_(b)) now", "http://[::1]:80/", "https://xn--bcher-kva.example/"} {
		f.Add(seed)
	}
	s := NewTestServer(f)
	f.Fuzz(func(t *testing.T, in string) {
		if d, ok := normalizeDomain(in); ok && d != "" {
			if d2, ok2 := normalizeDomain(d); !ok2 || d2 != d || d != strings.ToLower(d) {
				t.Fatalf("domain %q → %q → %q %v", in, d, d2, ok2)
			}
		}
		if u := normalizeCardURL(in); u != "" {
			if normalizeCardURL(u) != u {
				t.Fatalf("card URL %q → %q not stable", in, u)
			}
		}
		s.mu.Lock()
		got := s.st.cardURLOf(in)
		s.mu.Unlock()
		if got != "" && normalizeCardURL(got) != got {
			t.Fatalf("cardURLOf(%q) = %q, not normalised", in, got)
		}
		if isUnicodeEmoji(in) && (!utf8.ValidString(in) || strings.ContainsAny(in, " \n/")) {
			t.Fatalf("%q accepted as an emoji", in)
		}
		_ = validPushKeys(in, in)
	})
}

func TestRemoteAccountStatuses(t *testing.T) {
	s := NewTestServer(t)
	_, at := s.CreateUser("alice")
	ac := NewClient(s, at)
	far := s.CreateRemoteAccount("far", "remote.example")
	fc := NewClient(s, s.CreateToken(far.ID))
	remote := fc.PostStatus(t, "#news from afar")
	local := ac.PostStatus(t, "#news from here @far@remote.example")
	if remote["uri"] != "https://remote.example/users/far/statuses/"+remote["id"].(string) ||
		remote["url"] != "https://remote.example/@far/"+remote["id"].(string) {
		t.Fatalf("remote status URLs: %v %v", remote["uri"], remote["url"])
	}
	if local["uri"] == remote["uri"] || strings.HasPrefix(local["uri"].(string), "https://remote.example") {
		t.Fatalf("local status URI = %v", local["uri"])
	}
	ments := local["mentions"].([]any)
	if len(ments) != 1 || ments[0].(map[string]any)["acct"] != "far@remote.example" {
		t.Fatalf("mentions = %v", ments)
	}
	var tl []map[string]any
	ac.JSON(t, 200, "GET", "/api/v1/timelines/tag/news", url.Values{"remote": {"true"}}, &tl)
	if len(tl) != 1 || tl[0]["id"] != remote["id"] {
		t.Fatalf("remote tag timeline = %v", idsOf(tl))
	}
	ac.JSON(t, 200, "GET", "/api/v1/timelines/tag/news", url.Values{"local": {"1"}}, &tl)
	if len(tl) != 1 || tl[0]["id"] != local["id"] {
		t.Fatalf("local tag timeline = %v", idsOf(tl))
	}
	var rb map[string]any
	ac.JSON(t, 200, "POST", "/api/v1/statuses/"+remote["id"].(string)+"/reblog", nil, &rb)
	if rb["url"] != remote["url"] || !strings.HasSuffix(rb["uri"].(string), "/activity") || strings.Contains(rb["uri"].(string), "remote.example") {
		t.Fatalf("reblog of a remote status: %v %v", rb["uri"], rb["url"])
	}
}
