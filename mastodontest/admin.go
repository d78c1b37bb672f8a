package mastodontest

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// The admin API: accounts (v1 and v2 listings and moderation actions),
// reports and domain blocks. As in Mastodon a call needs both an admin:*
// scope and a user whose role allows it; here the Admin() accounts (role
// Owner) may do everything and other users get 403. Moderation actions act
// on the rest of the API as Mastodon's do: a suspended account is shown
// with "suspended": true and blank profile, its statuses are hidden from
// everyone and its token refused on user routes; a silenced one is shown
// "limited", kept out of the public and hashtag timelines (Mastodon's
// PublicFeed leaves silenced accounts out for every viewer; followers
// still get them in their home timelines) and its notifications to
// non-followers go where the for_limited_accounts policy says
// (notifrequests.go); a disabled one cannot use its token on user routes;
// a sensitized one has its statuses shown sensitive to everyone but
// itself.

// modState is an account's moderation state.
type modState struct {
	silenced, suspended, sensitized, disabled bool
}

// adminReport is the moderation side of a report.
type adminReport struct {
	actionTakenAt *time.Time
	assigned      *account
	actionBy      *account
	updatedAt     time.Time
}

type adminDomainBlock struct {
	id             string
	domain         string
	severity       string
	rejectMedia    bool
	rejectReports  bool
	privateComment *string
	publicComment  *string
	obfuscate      bool
	createdAt      time.Time
}

func (s *Server) adminRoutes() {
	rAcc := []string{"admin:read", "admin:read:accounts"}
	wAcc := []string{"admin:write", "admin:write:accounts"}
	rRep := []string{"admin:read", "admin:read:reports"}
	wRep := []string{"admin:write", "admin:write:reports"}
	rDom := []string{"admin:read", "admin:read:domain_blocks"}
	wDom := []string{"admin:write", "admin:write:domain_blocks"}
	r := func(scopes []string, h handler) route { return route{need: adminRole, scopes: scopes, h: h} }

	s.handle("GET /api/v1/admin/accounts", r(rAcc, s.adminAccounts(false)))
	s.handle("GET /api/v2/admin/accounts", r(rAcc, s.adminAccounts(true)))
	s.handle("GET /api/v1/admin/accounts/{id}", r(rAcc, s.adminAccountOp("get")))
	s.handle("DELETE /api/v1/admin/accounts/{id}", r(wAcc, s.adminAccountOp("delete")))
	for _, op := range []string{"approve", "reject", "action", "enable", "unsilence", "unsuspend", "unsensitive"} {
		s.handle("POST /api/v1/admin/accounts/{id}/"+op, r(wAcc, s.adminAccountOp(op)))
	}

	s.handle("GET /api/v1/admin/reports", r(rRep, s.adminReports))
	s.handle("GET /api/v1/admin/reports/{id}", r(rRep, s.adminReportOp("get")))
	s.handle("PUT /api/v1/admin/reports/{id}", r(wRep, s.adminReportOp("update")))
	for _, op := range []string{"assign_to_self", "unassign", "resolve", "reopen"} {
		s.handle("POST /api/v1/admin/reports/{id}/"+op, r(wRep, s.adminReportOp(op)))
	}

	s.adminBlockRoutes()
	s.adminTrendRoutes()
	s.handle("POST /api/v1/admin/measures", route{need: adminRole, scopes: []string{"admin:read"}, h: s.adminMeasures})
	s.handle("POST /api/v1/admin/dimensions", route{need: adminRole, scopes: []string{"admin:read"}, h: s.adminDimensions})
	s.handle("POST /api/v1/admin/retention", route{need: adminRole, scopes: []string{"admin:read"}, h: s.adminRetention})
	s.handle("GET /api/v1/admin/domain_blocks", r(rDom, s.adminDomainBlocks))
	s.handle("GET /api/v1/admin/domain_blocks/{id}", r(rDom, s.adminDomainBlockOp("get")))
	s.handle("POST /api/v1/admin/domain_blocks", r(wDom, s.adminDomainBlockOp("create")))
	s.handle("PUT /api/v1/admin/domain_blocks/{id}", r(wDom, s.adminDomainBlockOp("update")))
	s.handle("DELETE /api/v1/admin/domain_blocks/{id}", r(wDom, s.adminDomainBlockOp("delete")))
}

func (st *store) mod(a *account) *modState {
	m := st.x.mod[a.id]
	if m == nil {
		m = &modState{}
		st.x.mod[a.id] = m
	}
	return m
}

func (st *store) suspended(a *account) bool {
	m := st.x.mod[a.id]
	return m != nil && m.suspended
}

func (st *store) silenced(a *account) bool {
	m := st.x.mod[a.id]
	return m != nil && m.silenced
}

func (st *store) sensitized(a *account) bool {
	m := st.x.mod[a.id]
	return m != nil && m.sensitized
}

// loginDisabled reports whether a's user may not use the API as itself:
// disabled or suspended (Mastodon's User#functional? fails).
func (st *store) loginDisabled(a *account) bool {
	m := st.x.mod[a.id]
	return m != nil && (m.disabled || m.suspended)
}

func (st *store) modOf(a *account) modState {
	if m := st.x.mod[a.id]; m != nil {
		return *m
	}
	return modState{}
}

type jsonAdminAccount struct {
	ID                     string        `json:"id"`
	Username               string        `json:"username"`
	Domain                 *string       `json:"domain"`
	CreatedAt              string        `json:"created_at"`
	Email                  string        `json:"email"`
	IP                     *string       `json:"ip"`
	IPs                    []any         `json:"ips"`
	Locale                 string        `json:"locale"`
	InviteRequest          *string       `json:"invite_request"`
	Role                   *jsonFullRole `json:"role"`
	Confirmed              bool          `json:"confirmed"`
	Approved               bool          `json:"approved"`
	Disabled               bool          `json:"disabled"`
	Silenced               bool          `json:"silenced"`
	Suspended              bool          `json:"suspended"`
	Sensitized             bool          `json:"sensitized"`
	Account                jsonAccount   `json:"account"`
	CreatedByApplicationID *string       `json:"created_by_application_id,omitempty"`
	InvitedByAccountID     *string       `json:"invited_by_account_id"`
}

func (st *store) renderAdminAccount(a *account, viewer *account) jsonAdminAccount {
	m := st.modOf(a)
	j := jsonAdminAccount{ID: a.id, Username: a.username, CreatedAt: fmtTime(a.createdAt), Email: a.email,
		IP: ptr("127.0.0.1"), IPs: []any{}, Locale: "en", Confirmed: a.signupApp == nil, Approved: true,
		Disabled: m.disabled, Silenced: m.silenced, Suspended: m.suspended, Sensitized: m.sensitized,
		Account: st.renderAccount(a, viewer)}
	if a.domain != "" {
		j.Domain, j.IP, j.Email, j.Locale = &a.domain, nil, "", ""
	}
	j.Role = st.renderCredentialAccount(a).Role
	if a.signupApp != nil {
		j.CreatedByApplicationID = &a.signupApp.id
	}
	return j
}

// adminAccounts lists accounts newest first with the v1 filters (local,
// remote, active, pending, disabled, silenced, suspended, sensitized,
// staff) or the v2 ones (origin, status, permissions), and username,
// display_name, by_domain, email and ip for both.
func (s *Server) adminAccounts(v2 bool) handler {
	return func(c *call) (result, *apiError) {
		st := c.st
		p := c.p
		has := func(k string) bool { return p.truthy(k) }
		origin, status := p.str("origin"), p.str("status")
		if !v2 {
			switch {
			case has("local"):
				origin = "local"
			case has("remote"):
				origin = "remote"
			}
			for _, k := range []string{"active", "pending", "disabled", "silenced", "suspended", "sensitized"} {
				if has(k) {
					status = k
				}
			}
		}
		staff := has("staff") || p.str("permissions") == "staff"
		var list []*account
		for _, a := range st.order {
			m := st.modOf(a)
			switch {
			case origin == "local" && a.domain != "", origin == "remote" && a.domain == "":
				continue
			case status == "active" && (m.suspended || m.disabled), status == "pending",
				status == "disabled" && !m.disabled, status == "silenced" && !m.silenced,
				status == "suspended" && !m.suspended, status == "sensitized" && !m.sensitized:
				continue
			case staff && !a.admin:
				continue
			case !containsFold(a.username, p.str("username")), !containsFold(a.displayName, p.str("display_name")),
				!containsFold(a.email, p.str("email")):
				continue
			case p.str("by_domain") != "" && !strings.EqualFold(a.domain, p.str("by_domain")):
				continue
			case p.str("ip") != "" && (a.domain != "" || p.str("ip") != "127.0.0.1"):
				continue
			}
			list = append(list, a)
		}
		slices.SortFunc(list, func(x, y *account) int { return cmpID(y.id, x.id) })
		ids := make([]string, len(list))
		for i, a := range list {
			ids[i] = a.id
		}
		pg := c.page(100, 200)
		out := []jsonAdminAccount{}
		var keys []string
		for _, i := range pg.apply(ids) {
			out = append(out, st.renderAdminAccount(list[i], c.me))
			keys = append(keys, list[i].id)
		}
		c.linkTimeline(keys, []string{"limit", "local", "remote", "active", "pending", "disabled", "silenced", "suspended",
			"sensitized", "staff", "origin", "status", "permissions", "username", "display_name", "by_domain", "email", "ip"})
		return ok(out), nil
	}
}

func containsFold(s, sub string) bool {
	return sub == "" || strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

var adminActions = []string{"none", "sensitive", "disable", "silence", "suspend"}

func (s *Server) adminAccountOp(op string) handler {
	return func(c *call) (result, *apiError) {
		st := c.st
		a := st.accounts[c.r.PathValue("id")]
		if a == nil {
			return result{}, errNotFound
		}
		switch op {
		case "get":
		case "approve", "reject":
			// Every account here is approved: nothing is pending.
			return result{}, errForbidden
		case "action":
			typ := c.p.str("type")
			if typ == "" {
				typ = "none"
			}
			if !slices.Contains(adminActions, typ) {
				return result{}, validation("type", "ERR_INCLUSION", "is not included in the list", "Type is not included in the list")
			}
			if a == c.me || a.admin && typ != "none" {
				return result{}, errForbidden // staff cannot be moderated this way
			}
			m := st.mod(a)
			switch typ {
			case "sensitive":
				m.sensitized = true
			case "disable":
				m.disabled = true
			case "silence":
				m.silenced = true
			case "suspend":
				m.suspended = true
			}
			if rid := c.p.str("report_id"); rid != "" {
				if r := st.reportByID(rid); r != nil && r.target == a {
					st.resolveReport(r, c.me)
				}
			}
			return ok(nil), nil
		case "enable":
			st.mod(a).disabled = false
		case "unsilence":
			st.mod(a).silenced = false
		case "unsuspend":
			if a.domain == "" && !st.modOf(a).suspended {
				return result{}, errForbidden
			}
			st.mod(a).suspended = false
		case "unsensitive":
			st.mod(a).sensitized = false
		case "delete":
			if !st.modOf(a).suspended {
				return result{}, errForbidden // only suspended accounts' data can be deleted
			}
			j := st.renderAdminAccount(a, c.me)
			st.deleteAccount(a)
			delete(st.x.mod, a.id)
			return ok(j), nil
		}
		return ok(st.renderAdminAccount(a, c.me)), nil
	}
}

func (st *store) reportByID(id string) *report {
	for _, r := range st.x.reports {
		if r.id == id {
			return r
		}
	}
	return nil
}

func (st *store) resolveReport(r *report, by *account) {
	now := st.srv.now()
	r.adm.actionTakenAt, r.adm.actionBy, r.adm.updatedAt = &now, by, now
}

type jsonAdminReport struct {
	ID                   string            `json:"id"`
	ActionTaken          bool              `json:"action_taken"`
	ActionTakenAt        *string           `json:"action_taken_at"`
	Category             string            `json:"category"`
	Comment              string            `json:"comment"`
	Forwarded            bool              `json:"forwarded"`
	CreatedAt            string            `json:"created_at"`
	UpdatedAt            string            `json:"updated_at"`
	Account              jsonAdminAccount  `json:"account"`
	TargetAccount        jsonAdminAccount  `json:"target_account"`
	AssignedAccount      *jsonAdminAccount `json:"assigned_account"`
	ActionTakenByAccount *jsonAdminAccount `json:"action_taken_by_account"`
	Statuses             []*jsonStatus     `json:"statuses"`
	Rules                []jsonRule        `json:"rules"`
}

func (st *store) renderAdminReport(r *report, viewer *account) jsonAdminReport {
	j := jsonAdminReport{ID: r.id, ActionTaken: r.adm.actionTakenAt != nil, ActionTakenAt: fmtTimePtr(r.adm.actionTakenAt),
		Category: r.category, Comment: r.comment, Forwarded: r.forwarded, CreatedAt: fmtTime(r.createdAt),
		Account: st.renderAdminAccount(r.reporter, viewer), TargetAccount: st.renderAdminAccount(r.target, viewer),
		Statuses: []*jsonStatus{}, Rules: []jsonRule{}}
	if r.adm.updatedAt.After(r.createdAt) {
		j.UpdatedAt = fmtTime(r.adm.updatedAt)
	} else {
		j.UpdatedAt = j.CreatedAt
	}
	if r.adm.assigned != nil {
		j.AssignedAccount = ptr(st.renderAdminAccount(r.adm.assigned, viewer))
	}
	if r.adm.actionBy != nil {
		j.ActionTakenByAccount = ptr(st.renderAdminAccount(r.adm.actionBy, viewer))
	}
	for _, id := range r.statusIDs {
		if x := st.statuses[id]; x != nil {
			j.Statuses = append(j.Statuses, st.renderStatus(x, viewer, renderOpts{skipFilter: true}))
		}
	}
	for _, id := range r.ruleIDs {
		for _, ru := range st.x.rules {
			if ru.id == id {
				j.Rules = append(j.Rules, jsonRule{ID: ru.id, Text: ru.text, Hint: ru.hint, Translations: map[string]any{}})
			}
		}
	}
	return j
}

// adminReports lists reports newest first: unresolved ones unless
// resolved=true, optionally by reporter (account_id) or target
// (target_account_id).
func (s *Server) adminReports(c *call) (result, *apiError) {
	st := c.st
	resolved := c.p.truthy("resolved")
	var list []*report
	for i := len(st.x.reports) - 1; i >= 0; i-- {
		r := st.x.reports[i]
		if (r.adm.actionTakenAt != nil) != resolved {
			continue
		}
		if id := c.p.str("account_id"); id != "" && r.reporter.id != id {
			continue
		}
		if id := c.p.str("target_account_id"); id != "" && r.target.id != id {
			continue
		}
		list = append(list, r)
	}
	ids := make([]string, len(list))
	for i, r := range list {
		ids[i] = r.id
	}
	pg := c.page(100, 200)
	out := []jsonAdminReport{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, st.renderAdminReport(list[i], c.me))
		keys = append(keys, list[i].id)
	}
	c.linkTimeline(keys, []string{"limit", "resolved", "account_id", "target_account_id"})
	return ok(out), nil
}

func (s *Server) adminReportOp(op string) handler {
	return func(c *call) (result, *apiError) {
		st := c.st
		r := st.reportByID(c.r.PathValue("id"))
		if r == nil {
			return result{}, errNotFound
		}
		now := s.now()
		switch op {
		case "update":
			if v := c.p.str("category"); v != "" {
				if !slices.Contains(reportCategories, v) {
					return result{}, errf(422, "Validation failed: Category is not included in the list")
				}
				r.category = v
			}
			if c.p.has("rule_ids[]") || c.p.has("rule_ids") {
				r.ruleIDs = slices.DeleteFunc(slices.Clone(c.p.strs("rule_ids")), func(id string) bool { return id == "" })
			}
			r.adm.updatedAt = now
		case "assign_to_self":
			r.adm.assigned, r.adm.updatedAt = c.me, now
		case "unassign":
			r.adm.assigned, r.adm.updatedAt = nil, now
		case "resolve":
			st.resolveReport(r, c.me)
		case "reopen":
			r.adm.actionTakenAt, r.adm.actionBy, r.adm.updatedAt = nil, nil, now
		}
		return ok(st.renderAdminReport(r, c.me)), nil
	}
}

type jsonAdminDomainBlock struct {
	ID             string  `json:"id"`
	Domain         string  `json:"domain"`
	Digest         string  `json:"digest"`
	CreatedAt      string  `json:"created_at"`
	Severity       string  `json:"severity"`
	RejectMedia    bool    `json:"reject_media"`
	RejectReports  bool    `json:"reject_reports"`
	PrivateComment *string `json:"private_comment"`
	PublicComment  *string `json:"public_comment"`
	Obfuscate      bool    `json:"obfuscate"`
}

func renderAdminDomainBlock(b *adminDomainBlock) jsonAdminDomainBlock {
	sum := sha256.Sum256([]byte(b.domain))
	return jsonAdminDomainBlock{ID: b.id, Domain: b.domain, Digest: hex.EncodeToString(sum[:]), CreatedAt: fmtTime(b.createdAt), Severity: b.severity,
		RejectMedia: b.rejectMedia, RejectReports: b.rejectReports, PrivateComment: b.privateComment,
		PublicComment: b.publicComment, Obfuscate: b.obfuscate}
}

func (s *Server) adminDomainBlocks(c *call) (result, *apiError) {
	list := slices.Clone(c.st.x.adminBlocks)
	slices.Reverse(list)
	ids := make([]string, len(list))
	for i, b := range list {
		ids[i] = b.id
	}
	pg := c.page(100, 200)
	out := []jsonAdminDomainBlock{}
	var keys []string
	for _, i := range pg.apply(ids) {
		out = append(out, renderAdminDomainBlock(list[i]))
		keys = append(keys, list[i].id)
	}
	c.linkTimeline(keys, []string{"limit"})
	return ok(out), nil
}

var severities = []string{"silence", "suspend", "noop"}

func (s *Server) adminDomainBlockOp(op string) handler {
	return func(c *call) (result, *apiError) {
		st := c.st
		var b *adminDomainBlock
		if op != "create" {
			for _, x := range st.x.adminBlocks {
				if x.id == c.r.PathValue("id") {
					b = x
				}
			}
			if b == nil {
				return result{}, errNotFound
			}
		}
		switch op {
		case "get":
			return ok(renderAdminDomainBlock(b)), nil
		case "delete":
			st.x.adminBlocks = slices.DeleteFunc(st.x.adminBlocks, func(x *adminDomainBlock) bool { return x == b })
			return ok(nil), nil
		case "create":
			d := strings.ToLower(strings.TrimSpace(c.p.str("domain")))
			if d == "" || strings.ContainsAny(d, " /@") {
				return result{}, validation("domain", "ERR_INVALID", "is invalid", "Domain is not a valid domain name")
			}
			for _, x := range st.x.adminBlocks {
				if x.domain == d {
					return result{}, &apiError{code: 422, msg: "You have already imposed stricter limits on " + d + "."}
				}
			}
			b = &adminDomainBlock{id: st.nextSeq("domain_block"), domain: d, severity: "silence", createdAt: s.now()}
		}
		if v := c.p.str("severity"); v != "" {
			if !slices.Contains(severities, v) {
				return result{}, validation("severity", "ERR_INCLUSION", "is not included in the list", "Severity is not included in the list")
			}
			b.severity = v
		}
		if v, ok := c.p.boolean("reject_media"); ok {
			b.rejectMedia = v
		}
		if v, ok := c.p.boolean("reject_reports"); ok {
			b.rejectReports = v
		}
		if v, ok := c.p.boolean("obfuscate"); ok {
			b.obfuscate = v
		}
		if c.p.has("private_comment") {
			b.privateComment = ptr(c.p.str("private_comment"))
		}
		if c.p.has("public_comment") {
			b.publicComment = ptr(c.p.str("public_comment"))
		}
		if op == "create" {
			st.x.adminBlocks = append(st.x.adminBlocks, b)
		}
		return ok(renderAdminDomainBlock(b)), nil
	}
}
