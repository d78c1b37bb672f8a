package mastodontest

import (
	"net/url"
	"slices"
	"testing"
)

// Tests for the behaviour differences from Mastodon that other clients'
// suites found (issue 22), one test per difference.

// TestUpdateCredentialsSourceSettings (22.1): attribution_domains[],
// source[quote_policy] and source[sensitive] are stored and applied.
func TestUpdateCredentialsSourceSettings(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	c := NewClient(s, tok)
	var me map[string]any
	c.JSON(t, 200, "PATCH", "/api/v1/accounts/update_credentials", url.Values{
		"attribution_domains[]": {"Example.com", "blog.example.org", ""},
		"source[quote_policy]":  {"followers"},
		"source[sensitive]":     {"1"},
	}, &me)
	src := me["source"].(map[string]any)
	if got := src["attribution_domains"].([]any); !slices.Equal(got, []any{"example.com", "blog.example.org"}) {
		t.Errorf("attribution_domains = %v", got)
	}
	if src["quote_policy"] != "followers" || src["sensitive"] != true {
		t.Errorf("source = %v", src)
	}
	c.JSON(t, 200, "GET", "/api/v1/accounts/verify_credentials", nil, &me)
	if me["source"].(map[string]any)["quote_policy"] != "followers" {
		t.Errorf("verify_credentials source = %v", me["source"])
	}
	var prefs map[string]any
	c.JSON(t, 200, "GET", "/api/v1/preferences", nil, &prefs)
	if prefs["posting:default:quote_policy"] != "followers" || prefs["posting:default:sensitive"] != true {
		t.Errorf("preferences = %v", prefs)
	}
	// New statuses take the defaults; explicit values win.
	st := c.PostStatus(t, "default")
	qa := st["quote_approval"].(map[string]any)
	if st["sensitive"] != true || !slices.Equal(qa["automatic"].([]any), []any{"followers"}) {
		t.Errorf("default status: sensitive %v, quote_approval %v", st["sensitive"], qa)
	}
	c.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"explicit"}, "sensitive": {"false"}, "quote_approval_policy": {"public"}}, &st)
	if st["sensitive"] != false || !slices.Equal(st["quote_approval"].(map[string]any)["automatic"].([]any), []any{"public"}) {
		t.Errorf("explicit status: %v %v", st["sensitive"], st["quote_approval"])
	}
	wantError(t, c, 422, "PATCH", "/api/v1/accounts/update_credentials", url.Values{"source[quote_policy]": {"everyone"}}, "Quote policy")
	// An empty list clears the domains.
	c.JSON(t, 200, "PATCH", "/api/v1/accounts/update_credentials", url.Values{"attribution_domains[]": {""}}, &me)
	if got := me["source"].(map[string]any)["attribution_domains"].([]any); len(got) != 0 {
		t.Errorf("cleared attribution_domains = %v", got)
	}
}

// TestInteractionPolicy (22.7): PUT /api/v1/statuses/{id}/interaction_policy
// changes who may quote a status, for its author only, and quoting follows it.
func TestInteractionPolicy(t *testing.T) {
	s := NewTestServer(t)
	alice, aliceTok := s.CreateUser("alice")
	_, bobTok := s.CreateUser("bob")
	a, b := NewClient(s, aliceTok), NewClient(s, bobTok)
	st := a.PostStatus(t, "quotable?")
	id := st["id"].(string)
	var got map[string]any
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"nobody"}}, &got)
	if qa := got["quote_approval"].(map[string]any); len(qa["automatic"].([]any)) != 0 || got["id"] != id {
		t.Fatalf("after nobody: %v", qa)
	}
	wantError(t, b, 403, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"public"}}, "")
	wantError(t, a, 422, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"all"}}, "")
	b.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
	if got["quote_approval"].(map[string]any)["current_user"] != "denied" {
		t.Fatalf("bob's view: %v", got["quote_approval"])
	}
	wantError(t, b, 422, "POST", "/api/v1/statuses", url.Values{"status": {"q"}, "quoted_status_id": {id}}, "quote")

	// followers: bob may quote once he follows alice.
	a.JSON(t, 200, "PUT", "/api/v1/statuses/"+id+"/interaction_policy", url.Values{"quote_approval_policy": {"followers"}}, nil)
	wantError(t, b, 422, "POST", "/api/v1/statuses", url.Values{"status": {"q"}, "quoted_status_id": {id}}, "quote")
	b.JSON(t, 200, "POST", "/api/v1/accounts/"+alice.ID+"/follow", nil, nil)
	b.JSON(t, 200, "GET", "/api/v1/statuses/"+id, nil, &got)
	if got["quote_approval"].(map[string]any)["current_user"] != "automatic" {
		t.Fatalf("follower's view: %v", got["quote_approval"])
	}
	b.JSON(t, 200, "POST", "/api/v1/statuses", url.Values{"status": {"q"}, "quoted_status_id": {id}}, nil)
}
