package mastodontest

import (
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The admin API's other block lists: domain allows, e-mail domain blocks,
// canonical e-mail blocks and IP blocks. They are recorded and listed as
// Mastodon lists them; as nothing federates or signs up by e-mail here,
// they do not change what other endpoints answer.

// adminEntry is one entry of these lists.
type adminEntry struct {
	id        string
	value     string // domain, canonical e-mail hash or IP range
	severity  string // IP blocks
	comment   string // IP blocks
	createdAt time.Time
	expiresAt *time.Time
}

type adminList struct {
	kind    string // "domain_allows", "email_domain_blocks", "canonical_email_blocks", "ip_blocks"
	entries []*adminEntry
}

func (st *store) adminList(kind string) *adminList {
	if st.x.adminLists == nil {
		st.x.adminLists = map[string]*adminList{}
	}
	l := st.x.adminLists[kind]
	if l == nil {
		l = &adminList{kind: kind}
		st.x.adminLists[kind] = l
	}
	return l
}

func (s *Server) adminBlockRoutes() {
	for _, kind := range []string{"domain_allows", "email_domain_blocks", "canonical_email_blocks", "ip_blocks"} {
		r := []string{"admin:read", "admin:read:" + kind}
		w := []string{"admin:write", "admin:write:" + kind}
		rt := func(scopes []string, h handler) route { return route{need: adminRole, scopes: scopes, h: h} }
		base := "/api/v1/admin/" + kind
		s.handle("GET "+base, rt(r, s.adminListOp(kind, "list")))
		s.handle("GET "+base+"/{id}", rt(r, s.adminListOp(kind, "get")))
		s.handle("POST "+base, rt(w, s.adminListOp(kind, "create")))
		s.handle("DELETE "+base+"/{id}", rt(w, s.adminListOp(kind, "delete")))
		if kind == "ip_blocks" {
			s.handle("PUT "+base+"/{id}", rt(w, s.adminListOp(kind, "update")))
		}
		if kind == "canonical_email_blocks" {
			s.handle("POST "+base+"/test", rt(r, s.adminListOp(kind, "test")))
		}
	}
}

// canonicalEmailHash is Mastodon's hash of an address with case, dots and
// a +suffix of the local part ignored.
func canonicalEmailHash(email string) string {
	user, domain, _ := strings.Cut(strings.ToLower(strings.TrimSpace(email)), "@")
	user, _, _ = strings.Cut(strings.ReplaceAll(user, ".", ""), "+")
	sum := sha256.Sum256([]byte(user + "@" + domain))
	return hex.EncodeToString(sum[:])
}

var ipSeverities = []string{"sign_up_requires_approval", "sign_up_block", "no_access"}

func (st *store) renderAdminEntry(kind string, e *adminEntry) map[string]any {
	switch kind {
	case "canonical_email_blocks":
		return map[string]any{"id": e.id, "canonical_email_hash": e.value}
	case "ip_blocks":
		return map[string]any{"id": e.id, "ip": e.value, "severity": e.severity, "comment": e.comment,
			"created_at": fmtTime(e.createdAt), "expires_at": fmtTimePtr(e.expiresAt)}
	case "email_domain_blocks":
		hist := []map[string]string{}
		day := time.Date(e.createdAt.Year(), e.createdAt.Month(), e.createdAt.Day(), 0, 0, 0, 0, time.UTC)
		for i := range 7 {
			hist = append(hist, map[string]string{"day": strconv.FormatInt(day.AddDate(0, 0, -i).Unix(), 10), "accounts": "0", "uses": "0"})
		}
		return map[string]any{"id": e.id, "domain": e.value, "created_at": fmtTime(e.createdAt), "history": hist}
	}
	return map[string]any{"id": e.id, "domain": e.value, "created_at": fmtTime(e.createdAt)}
}

func (s *Server) adminListOp(kind, op string) handler {
	return func(c *call) (result, *apiError) {
		st := c.st
		l := st.adminList(kind)
		now := s.now()
		l.entries = slices.DeleteFunc(l.entries, func(e *adminEntry) bool { return e.expiresAt != nil && !now.Before(*e.expiresAt) })
		var e *adminEntry
		if op == "get" || op == "delete" || op == "update" {
			for _, x := range l.entries {
				if x.id == c.r.PathValue("id") {
					e = x
				}
			}
			if e == nil {
				return result{}, errNotFound
			}
		}
		switch op {
		case "list":
			list := slices.Clone(l.entries)
			slices.Reverse(list)
			ids := make([]string, len(list))
			for i, x := range list {
				ids[i] = x.id
			}
			pg := c.page(100, 200)
			out := []map[string]any{}
			var keys []string
			for _, i := range pg.apply(ids) {
				out = append(out, st.renderAdminEntry(kind, list[i]))
				keys = append(keys, list[i].id)
			}
			c.linkTimeline(keys, []string{"limit"})
			return ok(out), nil
		case "get":
			return ok(st.renderAdminEntry(kind, e)), nil
		case "delete":
			l.entries = slices.DeleteFunc(l.entries, func(x *adminEntry) bool { return x == e })
			return ok(nil), nil
		case "test":
			out := []map[string]any{}
			h := canonicalEmailHash(c.p.str("email"))
			for _, x := range l.entries {
				if x.value == h {
					out = append(out, st.renderAdminEntry(kind, x))
				}
			}
			return ok(out), nil
		case "create":
			e = &adminEntry{id: st.nextSeq("admin_" + kind), createdAt: now}
			switch kind {
			case "canonical_email_blocks":
				e.value = strings.ToLower(c.p.str("canonical_email_hash"))
				if em := c.p.str("email"); em != "" {
					e.value = canonicalEmailHash(em)
				}
				if len(e.value) != 64 {
					return result{}, validation("canonical_email_hash", "ERR_BLANK", "can't be blank", "Canonical email hash can't be blank")
				}
			case "ip_blocks":
				e.severity = "no_access"
			default:
				e.value = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(c.p.str("domain"))), ".")
				if e.value == "" || strings.ContainsAny(e.value, " /@") {
					return result{}, validation("domain", "ERR_INVALID", "is invalid", "Domain is not a valid domain name")
				}
			}
		}
		if kind == "ip_blocks" {
			if v := c.p.str("ip"); v != "" || op == "create" {
				p, err := netip.ParsePrefix(v)
				if err != nil {
					a, aerr := netip.ParseAddr(v)
					if aerr != nil {
						return result{}, validation("ip", "ERR_INVALID", "is invalid", "Ip is invalid")
					}
					p = netip.PrefixFrom(a, a.BitLen())
				}
				e.value = p.Masked().String()
			}
			if v := c.p.str("severity"); v != "" {
				if !slices.Contains(ipSeverities, v) {
					return result{}, validation("severity", "ERR_INCLUSION", "is not included in the list", "Severity is not included in the list")
				}
				e.severity = v
			}
			if c.p.has("comment") {
				e.comment = c.p.str("comment")
			}
			if n, ok := c.p.integer("expires_in"); ok && n > 0 {
				e.expiresAt = ptr(now.Add(time.Duration(n) * time.Second))
			}
		}
		if op == "create" {
			for _, x := range l.entries {
				if x.value == e.value {
					return result{}, validation("domain", "ERR_TAKEN", "has already been taken", "Value has already been taken")
				}
			}
			l.entries = append(l.entries, e)
		}
		return ok(st.renderAdminEntry(kind, e)), nil
	}
}
