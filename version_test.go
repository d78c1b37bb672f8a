package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
)

func TestParseVersion(t *testing.T) {
	cases := []struct {
		in     string
		want   string
		build  string
		family Family
		sv     string
	}{
		{"4.3.0", "4.3.0", "", FamilyMastodon, ""},
		{"4.5.0-rc.1", "4.5.0-rc.1", "", FamilyMastodon, ""},
		{"4.2.8+glitch", "4.2.8", "glitch", FamilyGlitch, ""},
		{"4.0.2+hometown-1.1.1", "4.0.2", "hometown-1.1.1", FamilyHometown, "1.1.1"},
		{"2.7.2 (compatible; Pleroma 2.0.50)", "2.7.2", "", FamilyPleroma, "2.0.50"},
		{"3.0.0 (compatible; Akkoma 3.9.3)", "3.0.0", "", FamilyAkkoma, "3.9.3"},
		{"0.17.3+git-0a1b2c3", "0.17.3", "git-0a1b2c3", FamilyGoToSocial, ""},
		{"3.0.0 (compatible; Firefish 1.0.5)", "3.0.0", "", FamilyFirefish, "1.0.5"},
		{"3.0.0 (compatible; Sharkey 2024.9.1)", "3.0.0", "", FamilySharkey, "2024.9.1"},
		{"3.5.3+fedibird", "3.5.3", "fedibird", FamilyFedibird, ""},
		{"4", "4.0.0", "", FamilyMastodon, ""},
		{"v4.1", "4.1.0", "", FamilyMastodon, ""},
	}
	for _, tc := range cases {
		v, err := ParseVersion(tc.in)
		if err != nil {
			t.Errorf("ParseVersion(%q): %v", tc.in, err)
			continue
		}
		if v.String() != tc.want || v.Build != tc.build || v.Raw != tc.in {
			t.Errorf("ParseVersion(%q) = %s (build %q)", tc.in, v, v.Build)
		}
		if f, sv := DetectFamily(tc.in, ""); f != tc.family || sv != tc.sv {
			t.Errorf("DetectFamily(%q) = %s %q, want %s %q", tc.in, f, sv, tc.family, tc.sv)
		}
	}
	for _, bad := range []string{"", "banana", "x4.0"} {
		if _, err := ParseVersion(bad); err == nil {
			t.Errorf("ParseVersion(%q) succeeded", bad)
		}
	}
	if f, _ := DetectFamily("0.16.0", "gotosocial"); f != FamilyGoToSocial {
		t.Errorf("nodeinfo software ignored: %s", f)
	}
}

func TestVersionCompare(t *testing.T) {
	order := []string{"2.9.2", "3.0.0", "4.0.0-rc.1", "4.0.0", "4.0.1", "4.10.0"}
	for i := 1; i < len(order); i++ {
		a, b := MustParseVersion(order[i-1]), MustParseVersion(order[i])
		if a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
			t.Errorf("%s vs %s", a, b)
		}
	}
	if !MustParseVersion("4.5.0-rc.1").AtLeast(MustParseVersion("4.5.0")) {
		t.Error("a release candidate should be allowed its release's endpoints")
	}
	if MustParseVersion("4.4.9").AtLeast(MustParseVersion("4.5.0")) {
		t.Error("4.4.9 >= 4.5.0")
	}
}

func FuzzParseVersion(f *testing.F) {
	for _, s := range []string{"4.3.0", "2.7.2 (compatible; Pleroma 2.0.50)", "0.17.3+git-abc", "4.0.2+hometown-1.1.1", "99999999999999999999.1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ParseVersion(s)
		if err == nil {
			if v.Major < 0 || v.Minor < 0 || v.Patch < 0 {
				t.Fatalf("negative version from %q", s)
			}
			if v.Compare(v) != 0 {
				t.Fatalf("%v does not compare equal to itself", v)
			}
			// The canonical form parses back to the same version.
			w, err := ParseVersion(v.String())
			if err != nil || w.Compare(v) != 0 || w.Pre != v.Pre {
				t.Fatalf("%q → %v → %q → %v (%v)", s, v, v.String(), w, err)
			}
		}
		DetectFamily(s, s)
	})
}

func TestVersionCheckModes(t *testing.T) {
	saved := endpointVersions
	endpointVersions = map[string]endpointVersion{
		"POST /api/v1/statuses/{id}/translate": {Since: "4.0.0"},
		"GET /api/v1/things":                   {Since: "1.0.0", Changed: "4.4.0"},
	}
	t.Cleanup(func() { endpointVersions = saved })

	c, mux, _ := setup(t, WithVersionCheck(VersionCheckChanged))
	var instanceCalls, calls atomic.Int32
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) {
		instanceCalls.Add(1)
		fmt.Fprint(w, `{"version":"4.3.1","api_versions":{"mastodon":2}}`)
	})
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		fmt.Fprint(w, `{"id":"1"}`)
	})
	ctx := context.Background()
	_, err := call[thing](ctx, c, req{Method: "GET", Path: "/api/v1/things"}, nil)
	var ve *VersionError
	if !errors.As(err, &ve) || !errors.Is(err, ErrVersion) || ve.Need.String() != "4.4.0" || ve.Have.String() != "4.3.1" {
		t.Fatalf("changed mode: err = %v", err)
	}
	if calls.Load() != 0 {
		t.Error("a request was sent despite the version error")
	}
	if _, err := call[thing](ctx, c, req{Method: "POST", Path: "/api/v1/statuses/{id}/translate", Params: []string{"1"}}, nil); err != nil {
		t.Errorf("4.0.0 endpoint on 4.3.1: %v", err)
	}
	info, err := c.ServerInfo(ctx)
	if err != nil || info.Family != FamilyMastodon || info.APIVersions["mastodon"] != 2 {
		t.Errorf("info = %+v %v", info, err)
	}
	if instanceCalls.Load() != 1 {
		t.Errorf("instance fetched %d times; it should be cached", instanceCalls.Load())
	}
	c.ClearCaches()
	if _, err := c.ServerInfo(ctx); err != nil || instanceCalls.Load() != 2 {
		t.Errorf("ClearCaches did not drop the cache")
	}

	c2, mux2, _ := setup(t, WithVersionCheck(VersionCheckCreated))
	mux2.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(404) })
	mux2.HandleFunc("/api/v1/instance", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"version":"3.5.3"}`)
	})
	mux2.HandleFunc("/.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"http://%s/nodeinfo/2.0"}]}`, r.Host)
	})
	mux2.HandleFunc("/nodeinfo/2.0", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"software":{"name":"mastodon","version":"3.5.3"}}`)
	})
	mux2.HandleFunc("/api/v1/things", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) })
	if _, err := call[thing](ctx, c2, req{Method: "GET", Path: "/api/v1/things"}, nil); err != nil {
		t.Errorf("created mode allows a 1.0.0 endpoint: %v", err)
	}
	if _, err := call[thing](ctx, c2, req{Method: "POST", Path: "/api/v1/statuses/{id}/translate", Params: []string{"1"}}, nil); !errors.Is(err, ErrVersion) {
		t.Errorf("3.5.3 server, 4.0.0 endpoint: %v", err)
	}
	ok, err := c2.VerifyMinimumVersion(ctx, "3.5.0")
	if !ok || err != nil {
		t.Errorf("VerifyMinimumVersion: %v %v", ok, err)
	}
}
