// Package oauthscope is the one table of Mastodon's OAuth scopes: the client
// uses it to check what a grant covers, mastodontest to enforce scopes on
// its routes.
package oauthscope

import (
	"slices"
	"strings"
)

// sets maps each scope that stands for several to the scopes it grants.
// "follow" is the legacy bundle of the follow, block and mute scopes.
var sets = map[string][]string{
	"read": {"read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters", "read:follows",
		"read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses"},
	"write": {"write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
		"write:filters", "write:follows", "write:lists", "write:media", "write:mutes", "write:notifications",
		"write:reports", "write:statuses"},
	"follow": {"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"},
	"admin:read": {"admin:read:accounts", "admin:read:reports", "admin:read:domain_allows", "admin:read:domain_blocks",
		"admin:read:ip_blocks", "admin:read:email_domain_blocks", "admin:read:canonical_email_blocks"},
	"admin:write": {"admin:write:accounts", "admin:write:reports", "admin:write:domain_allows", "admin:write:domain_blocks",
		"admin:write:ip_blocks", "admin:write:email_domain_blocks", "admin:write:canonical_email_blocks"},
}

// known is every scope Mastodon accepts, in the order a server lists them.
var known = slices.Concat([]string{"read", "write", "follow", "push", "profile"}, sets["read"], sets["write"],
	[]string{"admin:read", "admin:write"}, sets["admin:read"], sets["admin:write"])

// Known returns every scope Mastodon accepts; the caller may keep the slice.
func Known() []string { return slices.Clone(known) }

// Valid reports whether s is a scope Mastodon accepts.
func Valid(s string) bool { return slices.Contains(known, s) }

// Grants reports whether the granted scope covers the wanted one: itself,
// or a member of its set.
func Grants(granted, want string) bool {
	return granted == want || slices.Contains(sets[granted], want)
}

// Any reports whether the granted scopes cover at least one of wanted.
func Any(granted []string, wanted ...string) bool {
	for _, w := range wanted {
		for _, g := range granted {
			if Grants(g, w) {
				return true
			}
		}
	}
	return false
}

// Cover reports whether the granted scopes cover every requested one.
func Cover(granted, requested []string) bool {
	for _, r := range requested {
		if !Any(granted, r) {
			return false
		}
	}
	return true
}

// Expand returns list with each set followed by its members, without
// duplicates.
func Expand(list []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	for _, s := range list {
		add(s)
		for _, m := range sets[s] {
			add(m)
		}
	}
	return out
}

// Parse splits a scope string as Mastodon reads it (separated by spaces,
// or "+" and "," as some clients send them), dropping repeats.
func Parse(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '+' || r == ',' })
	out := f[:0:0]
	for _, x := range f {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}
