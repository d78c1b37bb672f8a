package mastodontest

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"time"
)

func (s *Server) filterRoutes() {
	r, w := []string{"read", "read:filters"}, []string{"write", "write:filters"}
	s.handle("GET /api/v2/filters", route{need: userToken, scopes: r, h: s.listFilters})
	s.handle("POST /api/v2/filters", route{need: userToken, scopes: w, h: s.createFilter})
	s.handle("GET /api/v2/filters/{id}", route{need: userToken, scopes: r, h: s.filterOp("get")})
	s.handle("PUT /api/v2/filters/{id}", route{need: userToken, scopes: w, h: s.filterOp("update")})
	s.handle("DELETE /api/v2/filters/{id}", route{need: userToken, scopes: w, h: s.filterOp("delete")})
	// /api/v2/filters/keywords/{id} and /api/v2/filters/{filter_id}/keywords
	// overlap as mux patterns, so one pattern per method dispatches them.
	two := map[string]map[string]route{
		"GET": {
			"keywords/": {need: userToken, scopes: r, h: s.keywordOp("get")},
			"statuses/": {need: userToken, scopes: r, h: s.filterStatusOp(false)},
			"/keywords": {need: userToken, scopes: r, h: s.filterOp("keywords")},
			"/statuses": {need: userToken, scopes: r, h: s.filterOp("statuses")},
		},
		"POST": {
			"/keywords": {need: userToken, scopes: w, h: s.filterOp("add_keyword")},
			"/statuses": {need: userToken, scopes: w, h: s.filterOp("add_status")},
		},
		"PUT":    {"keywords/": {need: userToken, scopes: w, h: s.keywordOp("update")}},
		"DELETE": {"keywords/": {need: userToken, scopes: w, h: s.keywordOp("delete")}, "statuses/": {need: userToken, scopes: w, h: s.filterStatusOp(true)}},
	}
	for method, routes := range two {
		s.mux.HandleFunc(method+" /api/v2/filters/{a}/{b}", func(rw http.ResponseWriter, req *http.Request) {
			a, b := req.PathValue("a"), req.PathValue("b")
			if rt, ok := routes[a+"/"]; ok {
				req.SetPathValue("id", b)
				s.serveRoute(rw, req, rt)
				return
			}
			if rt, ok := routes["/"+b]; ok {
				req.SetPathValue("filter_id", a)
				s.serveRoute(rw, req, rt)
				return
			}
			s.notFoundPage(rw, req)
		})
	}
}

type jsonFilterKeyword struct {
	ID        string `json:"id"`
	Keyword   string `json:"keyword"`
	WholeWord bool   `json:"whole_word"`
}

type jsonFilterStatus struct {
	ID       string `json:"id"`
	StatusID string `json:"status_id"`
}

type jsonFilter struct {
	ID           string              `json:"id"`
	Title        string              `json:"title"`
	Context      []string            `json:"context"`
	ExpiresAt    *string             `json:"expires_at"`
	FilterAction string              `json:"filter_action"`
	Keywords     []jsonFilterKeyword `json:"keywords"`
	Statuses     []jsonFilterStatus  `json:"statuses"`
}

type jsonFilterResult struct {
	Filter         jsonFilter `json:"filter"`
	KeywordMatches []string   `json:"keyword_matches"`
	StatusMatches  []string   `json:"status_matches"`
}

func renderFilter(f *filter) jsonFilter {
	j := jsonFilter{ID: f.id, Title: f.title, Context: f.contexts, ExpiresAt: fmtTimePtr(f.expiresAt), FilterAction: f.action,
		Keywords: []jsonFilterKeyword{}, Statuses: []jsonFilterStatus{}}
	for _, k := range f.keywords {
		j.Keywords = append(j.Keywords, jsonFilterKeyword{k.id, k.keyword, k.wholeWord})
	}
	for _, s := range f.statuses {
		j.Statuses = append(j.Statuses, jsonFilterStatus{s.id, s.statusID})
	}
	return j
}

func (st *store) activeFilters(owner *account) []*filter {
	var out []*filter
	now := st.srv.now()
	for _, f := range st.filters {
		if f.owner == owner && (f.expiresAt == nil || f.expiresAt.After(now)) {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b *filter) int { return cmpID(a.id, b.id) })
	return out
}

func keywordMatch(k *filterKeyword, text string) bool {
	if !k.wholeWord {
		return strings.Contains(strings.ToLower(text), strings.ToLower(k.keyword))
	}
	re, err := regexp.Compile(`(?i)(?:^|[^\p{L}\p{N}_])` + regexp.QuoteMeta(k.keyword) + `(?:$|[^\p{L}\p{N}_])`)
	return err == nil && re.MatchString(text)
}

// filterResults applies the viewer's filters for a context to s.
func (st *store) filterResults(s *status, viewer *account, ctx string) []jsonFilterResult {
	out := []jsonFilterResult{}
	if viewer == nil || ctx == "" || s.account == viewer {
		return out
	}
	text := s.spoiler + "\n" + s.text
	for _, m := range s.media {
		if m.description != nil {
			text += "\n" + *m.description
		}
	}
	for _, f := range st.activeFilters(viewer) {
		if !slices.Contains(f.contexts, ctx) {
			continue
		}
		r := jsonFilterResult{Filter: renderFilter(f), KeywordMatches: nil, StatusMatches: nil}
		for _, k := range f.keywords {
			if keywordMatch(k, text) {
				r.KeywordMatches = append(r.KeywordMatches, k.keyword)
			}
		}
		for _, fs := range f.statuses {
			if fs.statusID == s.id {
				r.StatusMatches = append(r.StatusMatches, s.id)
			}
		}
		if r.KeywordMatches != nil || r.StatusMatches != nil {
			out = append(out, r)
		}
	}
	return out
}

// filterHides reports whether a rendered status matched a filter whose
// action is "hide": such statuses are left out of timelines and streams.
func (st *store) filterHides(j *jsonStatus) bool {
	if j.Filtered == nil {
		return false
	}
	for _, r := range *j.Filtered {
		if r.Filter.FilterAction == "hide" {
			return true
		}
	}
	if j.Reblog != nil {
		return st.filterHides(j.Reblog)
	}
	return false
}

func (s *Server) listFilters(c *call) (result, *apiError) {
	out := []jsonFilter{}
	for _, f := range c.st.sortedFilters(c.me) {
		out = append(out, renderFilter(f))
	}
	return ok(out), nil
}

func (st *store) sortedFilters(owner *account) []*filter {
	var out []*filter
	for _, f := range st.filters {
		if f.owner == owner {
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b *filter) int { return cmpID(a.id, b.id) })
	return out
}

var filterContexts = []string{"home", "notifications", "public", "thread", "account"}

func (c *call) applyFilter(f *filter, creating bool) *apiError {
	if c.p.has("title") || creating {
		t := strings.TrimSpace(c.p.str("title"))
		if t == "" {
			return validation("title", "ERR_BLANK", "can't be blank", "Title can't be blank")
		}
		f.title = t
	}
	if ctx := c.p.strs("context"); len(ctx) > 0 || creating {
		if len(ctx) == 0 {
			return validation("context", "ERR_BLANK", "can't be blank", "Context can't be blank")
		}
		for _, x := range ctx {
			if !slices.Contains(filterContexts, x) {
				return validation("context", "ERR_INVALID", "is invalid", "Context is invalid")
			}
		}
		f.contexts = ctx
	}
	if a := c.p.str("filter_action"); a != "" {
		if !slices.Contains([]string{"warn", "hide", "blur"}, a) {
			return validation("filter_action", "ERR_INCLUSION", "is not included in the list", "Filter action is not included in the list")
		}
		f.action = a
	}
	if c.p.has("expires_in") {
		if n, ok := c.p.integer("expires_in"); ok && n > 0 {
			t := c.s.now().Add(time.Duration(n) * time.Second)
			f.expiresAt = &t
		} else {
			f.expiresAt = nil
		}
	}
	for i := 0; i < 64; i++ {
		pre := fmt.Sprintf("keywords_attributes[%d]", i)
		kw, has := c.p[pre+"[keyword]"]
		id := c.p.str(pre + "[id]")
		if !has && id == "" {
			continue
		}
		if id != "" {
			idx := slices.IndexFunc(f.keywords, func(k *filterKeyword) bool { return k.id == id })
			if idx < 0 {
				continue
			}
			if c.p.truthy(pre + "[_destroy]") {
				f.keywords = slices.Delete(f.keywords, idx, idx+1)
				continue
			}
			if has {
				f.keywords[idx].keyword = kw[len(kw)-1]
			}
			if b, ok := c.p.boolean(pre + "[whole_word]"); ok {
				f.keywords[idx].wholeWord = b
			}
			continue
		}
		k := &filterKeyword{id: c.st.nextSeq("keyword"), keyword: kw[len(kw)-1], wholeWord: true}
		if b, ok := c.p.boolean(pre + "[whole_word]"); ok {
			k.wholeWord = b
		}
		f.keywords = append(f.keywords, k)
	}
	return nil
}

func (s *Server) createFilter(c *call) (result, *apiError) {
	f := &filter{id: c.st.nextSeq("filter"), owner: c.me, action: "warn"}
	if err := c.applyFilter(f, true); err != nil {
		return result{}, err
	}
	c.st.filters[f.id] = f
	s.hub.accountEvent(c.me, "filters_changed")
	return ok(renderFilter(f)), nil
}

func (c *call) myFilter() (*filter, *apiError) {
	id := c.r.PathValue("id")
	if id == "" {
		id = c.r.PathValue("filter_id")
	}
	f := c.st.filters[id]
	if f == nil || f.owner != c.me {
		return nil, errNotFound
	}
	return f, nil
}

func (s *Server) filterOp(op string) handler {
	return func(c *call) (result, *apiError) {
		f, err := c.myFilter()
		if err != nil {
			return result{}, err
		}
		switch op {
		case "update":
			if err := c.applyFilter(f, false); err != nil {
				return result{}, err
			}
			s.hub.accountEvent(c.me, "filters_changed")
		case "delete":
			delete(c.st.filters, f.id)
			s.hub.accountEvent(c.me, "filters_changed")
			return ok(nil), nil
		case "keywords":
			return ok(renderFilter(f).Keywords), nil
		case "statuses":
			return ok(renderFilter(f).Statuses), nil
		case "add_keyword":
			kw := c.p.str("keyword")
			if kw == "" {
				return result{}, validation("keyword", "ERR_BLANK", "can't be blank", "Keyword can't be blank")
			}
			k := &filterKeyword{id: c.st.nextSeq("keyword"), keyword: kw, wholeWord: true}
			if b, ok := c.p.boolean("whole_word"); ok {
				k.wholeWord = b
			}
			f.keywords = append(f.keywords, k)
			s.hub.accountEvent(c.me, "filters_changed")
			return ok(jsonFilterKeyword{k.id, k.keyword, k.wholeWord}), nil
		case "add_status":
			sid := c.p.str("status_id")
			if c.st.statuses[sid] == nil {
				return result{}, errNotFound
			}
			fs := &filterStatus{id: c.st.nextSeq("filter_status"), statusID: sid}
			f.statuses = append(f.statuses, fs)
			s.hub.accountEvent(c.me, "filters_changed")
			return ok(jsonFilterStatus{fs.id, fs.statusID}), nil
		}
		return ok(renderFilter(f)), nil
	}
}

func (c *call) findKeyword() (*filter, int) {
	id := c.r.PathValue("id")
	for _, f := range c.st.sortedFilters(c.me) {
		for i, k := range f.keywords {
			if k.id == id {
				return f, i
			}
		}
	}
	return nil, -1
}

func (s *Server) keywordOp(op string) handler {
	return func(c *call) (result, *apiError) {
		f, i := c.findKeyword()
		if f == nil {
			return result{}, errNotFound
		}
		k := f.keywords[i]
		switch op {
		case "update":
			if kw := c.p.str("keyword"); kw != "" {
				k.keyword = kw
			}
			if b, ok := c.p.boolean("whole_word"); ok {
				k.wholeWord = b
			}
			s.hub.accountEvent(c.me, "filters_changed")
		case "delete":
			f.keywords = slices.Delete(f.keywords, i, i+1)
			s.hub.accountEvent(c.me, "filters_changed")
			return ok(nil), nil
		}
		return ok(jsonFilterKeyword{k.id, k.keyword, k.wholeWord}), nil
	}
}

func (s *Server) filterStatusOp(del bool) handler {
	return func(c *call) (result, *apiError) {
		id := c.r.PathValue("id")
		for _, f := range c.st.sortedFilters(c.me) {
			for i, fs := range f.statuses {
				if fs.id == id {
					if del {
						f.statuses = slices.Delete(f.statuses, i, i+1)
						s.hub.accountEvent(c.me, "filters_changed")
						return ok(nil), nil
					}
					return ok(jsonFilterStatus{fs.id, fs.statusID}), nil
				}
			}
		}
		return result{}, errNotFound
	}
}
