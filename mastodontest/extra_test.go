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
