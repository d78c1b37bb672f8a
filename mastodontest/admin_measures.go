package mastodontest

import (
	"slices"
	"strconv"
	"time"
)

// POST /api/v1/admin/measures: daily counts between start_at and end_at,
// computed from the server's state. The keys served are new_users,
// active_users (accounts that posted that day), interactions (favourites,
// reblogs and replies received by local statuses that day), opened_reports
// and resolved_reports; other keys are left out of the answer.

var measureKeys = []string{"new_users", "active_users", "interactions", "opened_reports", "resolved_reports"}

type jsonMeasure struct {
	Key           string              `json:"key"`
	Unit          *string             `json:"unit"`
	Total         string              `json:"total"`
	PreviousTotal *string             `json:"previous_total,omitempty"`
	Data          []map[string]string `json:"data"`
}

func (s *Server) adminMeasures(c *call) (result, *apiError) {
	start, ok1 := parseTime(c.p.str("start_at"))
	end, ok2 := parseTime(c.p.str("end_at"))
	if !ok1 || !ok2 || end.Before(start) {
		return result{}, errf(400, "start_at and end_at must be dates, start_at first")
	}
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }
	start, end = day(start), day(end)
	if end.Sub(start) > 366*24*time.Hour {
		start = end.AddDate(-1, 0, 0)
	}
	st := c.st
	out := []jsonMeasure{}
	for _, key := range c.p.strs("keys") {
		if !slices.Contains(measureKeys, key) {
			continue
		}
		count := func(from, to time.Time) int { return st.measure(key, from, to) }
		m := jsonMeasure{Key: key, Data: []map[string]string{}}
		for d := start; !d.After(end); d = d.AddDate(0, 0, 1) {
			n := count(d, d.AddDate(0, 0, 1))
			m.Data = append(m.Data, map[string]string{"date": fmtTime(d), "value": strconv.Itoa(n)})
		}
		// Over the whole period, so that active users are counted once.
		m.Total = strconv.Itoa(count(start, end.AddDate(0, 0, 1)))
		span := end.AddDate(0, 0, 1).Sub(start)
		m.PreviousTotal = ptr(strconv.Itoa(count(start.Add(-span), start)))
		out = append(out, m)
	}
	return ok(out), nil
}

// measure counts the events of key in [from, to).
func (st *store) measure(key string, from, to time.Time) int {
	in := func(t time.Time) bool { return !t.Before(from) && t.Before(to) }
	n := 0
	switch key {
	case "new_users":
		for _, a := range st.order {
			if a.domain == "" && in(a.createdAt) {
				n++
			}
		}
	case "active_users":
		seen := map[*account]bool{}
		for _, s := range st.timeline {
			if s.account.domain == "" && in(s.createdAt) && !seen[s.account] {
				seen[s.account] = true
				n++
			}
		}
	case "interactions":
		for _, s := range st.timeline {
			if !in(s.createdAt) {
				continue
			}
			if s.reblog != nil && s.reblog.account.domain == "" {
				n++
			} else if p := st.statuses[s.inReplyTo]; s.reblog == nil && p != nil && p.account.domain == "" {
				n++
			}
		}
		for _, f := range st.favs {
			if in(f.createdAt) && f.status.account.domain == "" {
				n++
			}
		}
	case "opened_reports":
		for _, r := range st.x.reports {
			if in(r.createdAt) {
				n++
			}
		}
	case "resolved_reports":
		for _, r := range st.x.reports {
			if r.adm.actionTakenAt != nil && in(*r.adm.actionTakenAt) {
				n++
			}
		}
	}
	return n
}
