package mastodon

import (
	"strconv"
	"strings"
	"testing"
)

func TestEndpointTableMatch(t *testing.T) {
	tbl := newEndpointTable(map[string]endpointVersion{
		"GET /api/v1/accounts/{id}":                       {Since: "0.0.0"},
		"GET /api/v1/accounts/verify_credentials":         {Since: "1.0.0", Changed: "4.3.0"},
		"POST /api/v1/statuses/{id}/favourite":            {Since: "1.0.0"},
		"PUT /api/v1/announcements/{id}/reactions/{name}": {Since: "3.1.0"},
		"HEAD /":          {Since: "0.0.0"},
		"not an endpoint": {},
	})
	cases := []struct {
		method, path string
		want         endpointVersion
		ok           bool
	}{
		{"GET", "/api/v1/accounts/109", endpointVersion{Since: "0.0.0"}, true},
		{"GET", "/api/v1/accounts/{account_id}", endpointVersion{Since: "0.0.0"}, true},
		{"GET", "/api/v1/accounts/verify_credentials", endpointVersion{Since: "1.0.0", Changed: "4.3.0"}, true},
		{"GET", "/api/v1/accounts/verify_credentials?x=1", endpointVersion{Since: "1.0.0", Changed: "4.3.0"}, true},
		{"POST", "/api/v1/statuses/42/favourite", endpointVersion{Since: "1.0.0"}, true},
		{"PUT", "/api/v1/announcements/7/reactions/%F0%9F%91%8D", endpointVersion{Since: "3.1.0"}, true},
		{"HEAD", "/", endpointVersion{Since: "0.0.0"}, true},
		{"DELETE", "/api/v1/statuses/42/favourite", endpointVersion{}, false},
		{"POST", "/api/v1/statuses/42/unfavourite", endpointVersion{}, false},
		{"GET", "/api/v1/accounts", endpointVersion{}, false},
		{"GET", "/api/v1/accounts/", endpointVersion{}, false},
		{"GET", "", endpointVersion{}, false},
	}
	for _, c := range cases {
		got, ok := tbl.match(c.method, c.path)
		if got != c.want || ok != c.ok {
			t.Errorf("match(%s %s) = %+v, %v; want %+v, %v", c.method, c.path, got, ok, c.want, c.ok)
		}
	}
}

func TestEndpointVersionForUsesGeneratedTable(t *testing.T) {
	for k, want := range endpointVersions {
		method, path, _ := cut(k)
		got, ok := endpointVersionFor(method, path)
		if !ok || got != want {
			t.Errorf("endpointVersionFor(%q) = %+v, %v; want %+v", k, got, ok, want)
		}
	}
	if _, ok := endpointVersionFor("GET", "/no/such/endpoint/anywhere"); ok {
		t.Error("unknown endpoint found")
	}
}

func cut(k string) (string, string, bool) {
	for i := 0; i < len(k); i++ {
		if k[i] == ' ' {
			return k[:i], k[i+1:], true
		}
	}
	return k, "", false
}

// TestSupportedVersionCoversTable checks that no method declares a version
// newer than the one Tusk says it supports.
func TestSupportedVersionCoversTable(t *testing.T) {
	num := func(v string) [3]int {
		var out [3]int
		for i, p := range strings.SplitN(v, ".", 3) {
			out[i], _ = strconv.Atoi(p)
		}
		return out
	}
	sup := num(SupportedVersion)
	newer := func(v string) bool {
		n := num(v)
		for i := range n {
			if n[i] != sup[i] {
				return n[i] > sup[i]
			}
		}
		return false
	}
	for k, v := range endpointVersions {
		if newer(v.Since) || newer(v.Changed) {
			t.Errorf("%s declares %+v, newer than SupportedVersion %s", k, v, SupportedVersion)
		}
	}
}
