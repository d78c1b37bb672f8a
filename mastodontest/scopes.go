package mastodontest

import (
	"slices"
	"strings"
)

// Scopes Mastodon knows. Top-level scopes imply their granular children
// ("read" grants "read:statuses"); "follow" is the legacy bundle of the
// follow, block and mute scopes; "admin:read" grants "admin:read:accounts".
var knownScopes = []string{
	"read", "write", "follow", "push", "profile",
	"read:accounts", "read:blocks", "read:bookmarks", "read:favourites", "read:filters",
	"read:follows", "read:lists", "read:mutes", "read:notifications", "read:search", "read:statuses",
	"write:accounts", "write:blocks", "write:bookmarks", "write:conversations", "write:favourites",
	"write:filters", "write:follows", "write:lists", "write:media", "write:mutes",
	"write:notifications", "write:reports", "write:statuses",
	"admin:read", "admin:write",
	"admin:read:accounts", "admin:read:reports", "admin:read:domain_allows", "admin:read:domain_blocks",
	"admin:read:ip_blocks", "admin:read:email_domain_blocks", "admin:read:canonical_email_blocks",
	"admin:write:accounts", "admin:write:reports", "admin:write:domain_allows", "admin:write:domain_blocks",
	"admin:write:ip_blocks", "admin:write:email_domain_blocks", "admin:write:canonical_email_blocks",
}

var followBundle = []string{"read:blocks", "write:blocks", "read:follows", "write:follows", "read:mutes", "write:mutes"}

func validScope(s string) bool { return slices.Contains(knownScopes, s) }

// parseScopes splits a space- or plus-separated scope string.
func parseScopes(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '+' || r == ',' })
	out := f[:0:0]
	for _, x := range f {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// grants reports whether a granted scope covers the wanted one.
func grants(granted, want string) bool {
	if granted == want {
		return true
	}
	if strings.HasPrefix(want, granted+":") {
		return true
	}
	if granted == "follow" && slices.Contains(followBundle, want) {
		return true
	}
	return false
}

// hasScope reports whether the token's scopes cover any of wanted.
func hasScope(have []string, wanted ...string) bool {
	for _, w := range wanted {
		for _, h := range have {
			if grants(h, w) {
				return true
			}
		}
	}
	return false
}

// subsetOf reports whether every requested scope is covered by the allowed
// set (an app's registered scopes).
func subsetOf(req, allowed []string) bool {
	for _, r := range req {
		if !hasScope(allowed, r) {
			return false
		}
	}
	return true
}
