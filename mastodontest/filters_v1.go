package mastodontest

import (
	"slices"
	"strings"
	"time"
)

// Filters v1, served from the v2 store the way Mastodon does it: a v1
// filter is one keyword of a v2 filter. Its id is the keyword's id, its
// phrase the keyword, its context, expiry and irreversible flag (the
// "hide" action) those of the keyword's filter. Creating one makes a v2
// filter titled after the phrase with that single keyword; deleting one
// deletes the keyword only.

func (s *Server) filterV1Routes() {
	r, w := []string{"read", "read:filters"}, []string{"write", "write:filters"}
	s.handle("GET /api/v1/filters", route{need: userToken, scopes: r, h: s.listFiltersV1})
	s.handle("POST /api/v1/filters", route{need: userToken, scopes: w, h: s.createFilterV1})
	s.handle("GET /api/v1/filters/{id}", route{need: userToken, scopes: r, h: s.filterV1Op("get")})
	s.handle("PUT /api/v1/filters/{id}", route{need: userToken, scopes: w, h: s.filterV1Op("update")})
	s.handle("DELETE /api/v1/filters/{id}", route{need: userToken, scopes: w, h: s.filterV1Op("delete")})
}

type jsonFilterV1 struct {
	ID           string   `json:"id"`
	Phrase       string   `json:"phrase"`
	Context      []string `json:"context"`
	WholeWord    bool     `json:"whole_word"`
	ExpiresAt    *string  `json:"expires_at"`
	Irreversible bool     `json:"irreversible"`
}

func renderFilterV1(f *filter, k *filterKeyword) jsonFilterV1 {
	return jsonFilterV1{ID: k.id, Phrase: k.keyword, Context: slices.Clone(f.contexts), WholeWord: k.wholeWord,
		ExpiresAt: fmtTimePtr(f.expiresAt), Irreversible: f.action == "hide"}
}

func (s *Server) listFiltersV1(c *call) (result, *apiError) {
	type pair struct {
		f *filter
		k *filterKeyword
	}
	var all []pair
	for _, f := range c.st.sortedFilters(c.me) {
		for _, k := range f.keywords {
			all = append(all, pair{f, k})
		}
	}
	slices.SortFunc(all, func(a, b pair) int { return cmpID(a.k.id, b.k.id) })
	out := []jsonFilterV1{}
	for _, p := range all {
		out = append(out, renderFilterV1(p.f, p.k))
	}
	return ok(out), nil
}

// filterV1Attrs validates and applies the filter-level v1 parameters
// (phrase as title, context, irreversible, expires_in) to f and reports
// whether any of them changed it.
func (c *call) filterV1Attrs(f *filter, creating bool) (bool, *apiError) {
	changed := false
	if c.p.has("phrase") || creating {
		t := strings.TrimSpace(c.p.str("phrase"))
		if t == "" {
			return false, validation("title", "ERR_BLANK", "can't be blank", "Title can't be blank")
		}
		changed = changed || t != f.title
		f.title = t
	}
	if ctx := c.p.strs("context"); len(ctx) > 0 || creating {
		ctx = slices.DeleteFunc(slices.Clone(ctx), func(s string) bool { return s == "" })
		if len(ctx) == 0 {
			return false, validation("context", "ERR_BLANK", "can't be blank", "Context can't be blank")
		}
		for _, x := range ctx {
			if !slices.Contains(filterContexts, x) {
				return false, validation("context", "ERR_INVALID", "is invalid", "Context is invalid")
			}
		}
		changed = changed || !slices.Equal(ctx, f.contexts)
		f.contexts = ctx
	}
	if b, ok := c.p.boolean("irreversible"); ok {
		action := "warn"
		if b {
			action = "hide"
		}
		changed = changed || action != f.action
		f.action = action
	}
	if c.p.has("expires_in") {
		var exp *time.Time
		if n, ok := c.p.integer("expires_in"); ok && n > 0 {
			t := c.s.now().Add(time.Duration(n) * time.Second)
			exp = &t
		}
		changed = changed || (exp == nil) != (f.expiresAt == nil) || (exp != nil && !exp.Equal(*f.expiresAt))
		f.expiresAt = exp
	}
	return changed, nil
}

func (s *Server) createFilterV1(c *call) (result, *apiError) {
	f := &filter{owner: c.me, action: "warn"}
	if _, err := c.filterV1Attrs(f, true); err != nil {
		return result{}, err
	}
	k := &filterKeyword{keyword: f.title, wholeWord: true}
	if b, ok := c.p.boolean("whole_word"); ok {
		k.wholeWord = b
	}
	f.id = c.st.nextSeq("filter")
	k.id = c.st.nextSeq("keyword")
	f.keywords = []*filterKeyword{k}
	c.st.filters[f.id] = f
	s.hub.accountEvent(c.me, "filters_changed")
	return ok(renderFilterV1(f, k)), nil
}

func (s *Server) filterV1Op(op string) handler {
	return func(c *call) (result, *apiError) {
		f, i := c.findKeyword()
		if f == nil {
			return result{}, errNotFound
		}
		k := f.keywords[i]
		switch op {
		case "update":
			// Work on copies so that a refused update changes nothing.
			nf, nk := *f, *k
			if c.p.has("phrase") {
				if p := strings.TrimSpace(c.p.str("phrase")); p != "" {
					nk.keyword = p
				} else {
					return result{}, validation("keyword", "ERR_BLANK", "can't be blank", "Keyword can't be blank")
				}
			}
			if b, ok := c.p.boolean("whole_word"); ok {
				nk.wholeWord = b
			}
			changed, err := c.filterV1Attrs(&nf, false)
			if err != nil {
				return result{}, err
			}
			if changed && len(f.keywords) > 1 {
				return result{}, errf(422, "These parameters cannot be changed from this application because they apply to more than one filter keyword. Use a more recent application or the web interface.")
			}
			*f, *k = nf, nk
			s.hub.accountEvent(c.me, "filters_changed")
		case "delete":
			f.keywords = slices.Delete(f.keywords, i, i+1)
			s.hub.accountEvent(c.me, "filters_changed")
			return ok(nil), nil
		}
		return ok(renderFilterV1(f, k)), nil
	}
}
