package mastodontest

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// POST /api/v1/admin/dimensions and POST /api/v1/admin/retention, the
// companions of the measures (admin_measures.go), computed from the
// server's state.
//
// Dimensions served: languages (the interface language of local users
// active in the period; every user here speaks "en"), servers (statuses
// from remote servers), software_versions (the Mastodon version the server
// reports), tag_servers and tag_languages (statuses with the tag of
// tag_servers[id] / tag_languages[id] by server and by language), and
// instance_accounts and instance_languages (the accounts of the server of
// instance_accounts[domain] by followers gained, its statuses by
// language). Other keys (sources, space_usage) are left out of the answer,
// as Mastodon leaves out keys it does not know.
//
// Retention: one cohort per day or month (frequency) of sign-ups between
// start_at and end_at, with, for each period from the cohort's to end_at,
// how many of its users were active (signed up or posted) and that share
// as a rate.

var dimensionKeys = []string{"languages", "servers", "software_versions", "tag_servers", "tag_languages",
	"instance_accounts", "instance_languages"}

var languageNames = map[string]string{"en": "English", "de": "German", "ja": "Japanese", "fr": "French",
	"es": "Spanish", "und": "Unknown"}

type jsonDimension struct {
	Key  string              `json:"key"`
	Data []jsonDimensionData `json:"data"`
}

type jsonDimensionData struct {
	Key        string  `json:"key"`
	HumanKey   string  `json:"human_key"`
	Value      string  `json:"value"`
	Unit       *string `json:"unit,omitempty"`
	HumanValue *string `json:"human_value,omitempty"`
}

// statsPeriod reads start_at and end_at as whole days, end_at included.
func (c *call) statsPeriod() (from, to time.Time, aerr *apiError) {
	start, ok1 := parseTime(c.p.str("start_at"))
	end, ok2 := parseTime(c.p.str("end_at"))
	if !ok1 || !ok2 || end.Before(start) {
		return from, to, errf(400, "start_at and end_at must be dates, start_at first")
	}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	return day(start), day(end).AddDate(0, 0, 1), nil
}

func (s *Server) adminDimensions(c *call) (result, *apiError) {
	from, to, aerr := c.statsPeriod()
	if aerr != nil {
		return result{}, aerr
	}
	limit, given := c.p.integer("limit")
	if !given || limit <= 0 {
		limit = 10
	}
	st := c.st
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	out := []jsonDimension{}
	for _, key := range c.p.strs("keys") {
		if !slices.Contains(dimensionKeys, key) {
			continue
		}
		counts := map[string]int{}
		count := func(match func(*status) bool, by func(*status) string) {
			for _, x := range st.timeline {
				if x.reblog == nil && in(x.createdAt) && match(x) {
					counts[by(x)]++
				}
			}
		}
		lang := func(x *status) string {
			if x.language != nil && *x.language != "" {
				return *x.language
			}
			return "und"
		}
		server := func(x *status) string { return cmp.Or(x.account.domain, s.domain()) }
		tagged := func(param string) func(*status) bool {
			id := c.p.str(key + "[" + param + "]")
			return func(x *status) bool {
				for _, t := range x.tags {
					if ts := st.tags[strings.ToLower(t)]; ts != nil && ts.id == id {
						return true
					}
				}
				return false
			}
		}
		human := func(k string) string { return k }
		switch key {
		case "languages":
			active := map[*account]bool{}
			for _, x := range st.timeline {
				if x.account.domain == "" && in(x.createdAt) {
					active[x.account] = true
				}
			}
			if len(active) > 0 {
				counts["en"] = len(active)
			}
			human = languageName
		case "servers":
			count(func(x *status) bool { return x.account.domain != "" }, server)
		case "software_versions":
			counts = nil
		case "tag_servers":
			count(tagged("id"), server)
		case "tag_languages":
			count(tagged("id"), lang)
			human = languageName
		case "instance_accounts":
			domain := c.p.str(key + "[domain]")
			for e, f := range st.follows {
				if t := st.accounts[e.to]; t != nil && t.domain != "" && t.domain == domain && in(f.created) {
					counts[t.username]++
				}
			}
		case "instance_languages":
			domain := c.p.str(key + "[domain]")
			count(func(x *status) bool { return x.account.domain != "" && x.account.domain == domain }, lang)
			human = languageName
		}
		d := jsonDimension{Key: key, Data: []jsonDimensionData{}}
		if key == "software_versions" {
			v := s.cfg.version
			d.Data = append(d.Data, jsonDimensionData{Key: "mastodon", HumanKey: "Mastodon", Value: v, HumanValue: &v})
		}
		keys := slices.SortedFunc(maps.Keys(counts), func(a, b string) int {
			return cmp.Or(counts[b]-counts[a], cmp.Compare(a, b))
		})
		for _, k := range keys[:min(limit, len(keys))] {
			d.Data = append(d.Data, jsonDimensionData{Key: k, HumanKey: human(k), Value: strconv.Itoa(counts[k])})
		}
		out = append(out, d)
	}
	return ok(out), nil
}

func languageName(code string) string {
	if n := languageNames[code]; n != "" {
		return n
	}
	return code
}

type jsonCohort struct {
	Period    string           `json:"period"`
	Frequency string           `json:"frequency"`
	Data      []jsonCohortData `json:"data"`
}

type jsonCohortData struct {
	Date  string  `json:"date"`
	Rate  float64 `json:"rate"`
	Value string  `json:"value"`
}

func (s *Server) adminRetention(c *call) (result, *apiError) {
	from, to, aerr := c.statsPeriod()
	if aerr != nil {
		return result{}, aerr
	}
	freq := c.p.str("frequency")
	step := func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }
	switch freq {
	case "day":
		if to.Sub(from) > 366*24*time.Hour {
			from = to.AddDate(-1, 0, 0)
		}
	case "month":
		from = time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC)
		step = func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }
	default:
		return result{}, errf(400, "frequency must be day or month")
	}
	st := c.st
	// When each local user was active: its sign-up and its posts.
	active := map[*account][]time.Time{}
	for _, a := range st.order {
		if a.domain == "" {
			active[a] = append(active[a], a.createdAt)
		}
	}
	for _, x := range st.timeline {
		if x.account.domain == "" {
			active[x.account] = append(active[x.account], x.createdAt)
		}
	}
	activeIn := func(a *account, lo, hi time.Time) bool {
		return slices.ContainsFunc(active[a], func(t time.Time) bool { return !t.Before(lo) && t.Before(hi) })
	}
	out := []jsonCohort{}
	for p := from; p.Before(to); p = step(p) {
		var cohort []*account
		for _, a := range st.order {
			if a.domain == "" && !a.createdAt.Before(p) && a.createdAt.Before(step(p)) {
				cohort = append(cohort, a)
			}
		}
		co := jsonCohort{Period: fmtTime(p), Frequency: freq, Data: []jsonCohortData{}}
		for q := p; q.Before(to); q = step(q) {
			n := 0
			for _, a := range cohort {
				if activeIn(a, q, step(q)) {
					n++
				}
			}
			rate := 0.0
			if len(cohort) > 0 {
				rate = float64(n) / float64(len(cohort))
			}
			co.Data = append(co.Data, jsonCohortData{Date: fmtTime(q), Rate: rate, Value: strconv.Itoa(n)})
		}
		out = append(out, co)
	}
	return ok(out), nil
}
