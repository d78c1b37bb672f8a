package mastodontest

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFamilyGoToSocial checks each GoToSocial difference at the HTTP level.
func TestFamilyGoToSocial(t *testing.T) {
	s := NewTestServer(t, WithFamily(FamilyGoToSocial))
	_, tok := s.CreateUser("alice")
	app := s.CreateApp("bot", "urn:ietf:wg:oauth:2.0:oob", "read", "write")
	do := func(method, path, token string, form url.Values, hdr map[string]string) (int, map[string]any) {
		t.Helper()
		var body *strings.Reader
		if form != nil {
			body = strings.NewReader(form.Encode())
		} else {
			body = strings.NewReader("")
		}
		req, _ := http.NewRequest(method, s.URL+path, body)
		if form != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var m map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	for _, p := range []string{"/api/v1/instance", "/api/v2/instance"} {
		code, m := do("GET", p, "", nil, nil)
		if code != 200 || m["version"] != "0.17.3" || m["api_versions"] != nil || m["account_domain"] == nil {
			t.Errorf("%s: %d version %v api_versions %v", p, code, m["version"], m["api_versions"])
		}
	}
	if _, m := do("GET", "/.well-known/nodeinfo", "", nil, nil); !strings.Contains(strings.Join(linksOf(m), " "), "http://localhost:") {
		t.Errorf("nodeinfo discovery %v does not name localhost", m)
	}
	if _, m := do("GET", "/nodeinfo/2.0", "", nil, nil); m["software"].(map[string]any)["name"] != "gotosocial" {
		t.Errorf("nodeinfo software %v", m["software"])
	}
	if code, _ := do("GET", "/api/v1/streaming/user", tok, nil, nil); code != 404 {
		t.Errorf("SSE stream answered %d, want 404", code)
	}
	if code, _ := do("GET", "/api/v1/timelines/public", "", nil, nil); code != 401 {
		t.Errorf("anonymous public timeline answered %d, want 401", code)
	}
	if code, _ := do("GET", "/api/v1/timelines/public", tok, nil, nil); code != 200 {
		t.Errorf("public timeline with a token answered %d", code)
	}
	grant := url.Values{"grant_type": {"client_credentials"}, "client_id": {app.ClientID}, "client_secret": {app.ClientSecret}}
	if code, m := do("POST", "/oauth/token", "", grant, nil); code != 400 || !strings.Contains(m["error_description"].(string), "redirect_uri") {
		t.Errorf("grant without redirect_uri: %d %v", code, m)
	}
	grant.Set("redirect_uri", "urn:ietf:wg:oauth:2.0:oob")
	if code, _ := do("POST", "/oauth/token", "", grant, nil); code != 200 {
		t.Errorf("grant with redirect_uri: %d", code)
	}
	key := map[string]string{"Idempotency-Key": "k1"}
	_, a := do("POST", "/api/v1/statuses", tok, url.Values{"status": {"once"}}, key)
	_, b := do("POST", "/api/v1/statuses", tok, url.Values{"status": {"once"}}, key)
	if a["id"] == nil || a["id"] == b["id"] {
		t.Errorf("Idempotency-Key was honoured: %v %v", a["id"], b["id"])
	}
	posts := 0
	for _, r := range s.RequestLog() {
		if r.Method == "POST" && r.Path == "/api/v1/statuses" {
			posts++
			if r.Form().Get("status") != "once" || r.Header.Get("Idempotency-Key") != "k1" {
				t.Errorf("logged post %+v", r)
			}
		}
	}
	if posts != 2 {
		t.Errorf("%d posts logged, want 2", posts)
	}
}

func linksOf(m map[string]any) []string {
	var out []string
	ls, _ := m["links"].([]any)
	for _, l := range ls {
		if lm, ok := l.(map[string]any); ok {
			out = append(out, lm["href"].(string))
		}
	}
	return out
}

// TestGoAwayComeBack: while away the server answers nothing; afterwards
// its state is intact.
func TestGoAwayComeBack(t *testing.T) {
	s := NewTestServer(t)
	_, tok := s.CreateUser("alice")
	s.GoAway()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	req, _ := http.NewRequest("GET", s.URL+"/api/v1/accounts/verify_credentials", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	if resp, err := hc.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("answered %d while away", resp.StatusCode)
	}
	s.ComeBack()
	resp, err := hc.Do(req.Clone(req.Context()))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after ComeBack: %v", err)
	}
	resp.Body.Close()
}
