package oauthscope

import (
	"slices"
	"testing"
)

func TestGrants(t *testing.T) {
	for _, c := range []struct {
		granted, want string
		ok            bool
	}{
		{"read", "read", true},
		{"read", "read:statuses", true},
		{"read:statuses", "read", false},
		{"read", "write:statuses", false},
		{"follow", "write:follows", true},
		{"follow", "read:blocks", true},
		{"follow", "read:statuses", false},
		{"admin:read", "admin:read:accounts", true},
		{"admin:read", "admin:write:accounts", false},
		{"read", "admin:read:accounts", false},
		{"read", "read:unknown", false}, // only members of the table
		{"push", "push", true},
	} {
		if got := Grants(c.granted, c.want); got != c.ok {
			t.Errorf("Grants(%q, %q) = %v", c.granted, c.want, got)
		}
	}
}

func TestAnyCoverExpand(t *testing.T) {
	if !Any([]string{"write:media", "read:lists"}, "read", "read:lists") || Any([]string{"write"}, "read", "read:lists") || Any(nil, "read") {
		t.Error("Any")
	}
	if !Cover([]string{"read", "write"}, []string{"read:statuses", "write:media", "read"}) ||
		Cover([]string{"read:statuses"}, []string{"read"}) || !Cover([]string{"x"}, nil) {
		t.Error("Cover")
	}
	got := Expand([]string{"follow", "read:follows", "push"})
	want := []string{"follow", "read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes", "push"}
	if !slices.Equal(got, want) {
		t.Errorf("Expand = %q", got)
	}
}

func TestKnownAndParse(t *testing.T) {
	k := Known()
	if k[0] != "read" || !Valid("admin:write:ip_blocks") || !Valid("profile") || Valid("read:everything") || Valid("") {
		t.Errorf("Known/Valid: %q", k)
	}
	k[0] = "changed"
	if Known()[0] != "read" {
		t.Error("Known shares its slice")
	}
	seen := map[string]bool{}
	for _, s := range k[1:] {
		if seen[s] {
			t.Errorf("%q listed twice", s)
		}
		seen[s] = true
	}
	if got := Parse("read+write, read  push"); !slices.Equal(got, []string{"read", "write", "push"}) {
		t.Errorf("Parse = %q", got)
	}
	if got := Parse(" "); len(got) != 0 {
		t.Errorf("Parse(blank) = %q", got)
	}
}
