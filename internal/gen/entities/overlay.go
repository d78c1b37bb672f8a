package main

// The overlay: what the generator adds to or removes from the entities the
// two descriptions give, kept as data here rather than patched around in
// the library. (Corrections of a field's type or nullability stay in
// overrides.)

// overlayField is a member the server sends that neither description has.
type overlayField struct {
	typ, json string
	ref       *typeRef
	nullable  bool
}

var overlayFields = []overlayField{
	// A token grant may carry these when the server issues refresh tokens
	// or expiring tokens (RFC 6749 §5.1); Mastodon does not by default.
	{"Token", "refresh_token", &typeRef{Kind: kString}, false},
	{"Token", "expires_in", &typeRef{Kind: kInt}, false},
}

// overlayShadows lists, per type, the members it declares that the type it
// embeds declares too. Such a member is dropped, so the embedded one is the
// only one and is set by decoding (a CredentialAccount's Role is its
// Account's Role). Any other shadow stops the generator.
var overlayShadows = map[string][]string{
	"AdminTag":          {"requires_review", "trendable", "usable"},
	"CredentialAccount": {"role", "source"},
	"MutedAccount":      {"mute_expires_at"},
	"TrendsLink":        {"history"},
}

// applyOverlay adds the overlay's members, drops the shadows it lists and
// refuses any shadow it does not.
func (g *generator) applyOverlay() {
	for _, m := range overlayFields {
		t := g.types[m.typ]
		if t == nil {
			fatal(errorf("overlay: no type %s", m.typ))
		}
		for _, f := range g.allFields(t) {
			if f.JSON == m.json {
				fatal(errorf("overlay: %s.%s is described already; drop it from the overlay", m.typ, m.json))
			}
		}
		t.Fields = append(t.Fields, &field{JSON: m.json, Go: goName(m.json), T: m.ref, Nullable: m.nullable})
	}
	for name := range overlayShadows {
		if t := g.types[name]; t == nil || t.Embed == "" {
			fatal(errorf("overlay: %s embeds no type", name))
		}
	}
	for _, name := range sortedKeys(g.types) {
		t := g.types[name]
		if t.Embed == "" {
			continue
		}
		inner := map[string]bool{}
		for _, f := range g.allFields(g.types[t.Embed]) {
			inner[f.Go] = true
		}
		drop := map[string]bool{}
		for _, j := range overlayShadows[name] {
			drop[j] = true
		}
		var keep []*field
		for _, f := range t.Fields {
			switch {
			case !inner[f.Go]:
				keep = append(keep, f)
			case drop[f.JSON]:
				delete(drop, f.JSON)
			default:
				fatal(errorf("%s.%s shadows %s.%s: list it in overlayShadows", name, f.Go, t.Embed, f.Go))
			}
		}
		for j := range drop {
			fatal(errorf("overlay: %s.%s shadows nothing; drop it from overlayShadows", name, j))
		}
		t.Fields = keep
	}
}
