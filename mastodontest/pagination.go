package mastodontest

import (
	"net/url"
	"strings"
)

// pager holds Mastodon's cursor parameters.
type pager struct {
	maxID, sinceID, minID string
	limit                 int
}

// page reads max_id, since_id, min_id and limit. Like Mastodon, a given
// limit is made positive and capped at max; a missing one means def.
func (c *call) page(def, max int) pager {
	p := pager{maxID: c.p.str("max_id"), sinceID: c.p.str("since_id"), minID: c.p.str("min_id"), limit: def}
	if v := c.p.str("limit"); v != "" {
		n, _ := parseParamInt(v)
		if n < 0 {
			n = -n
		}
		p.limit = min(n, max)
	}
	return p
}

// apply selects from ids (newest first) the indexes of one page: items
// older than max_id and newer than since_id, the newest `limit` of them; or
// with min_id, the `limit` items immediately newer than min_id (still
// returned newest first).
func (p pager) apply(ids []string) []int {
	var cand []int
	for i, id := range ids {
		if p.maxID != "" && cmpID(id, p.maxID) >= 0 {
			continue
		}
		if p.sinceID != "" && cmpID(id, p.sinceID) <= 0 {
			continue
		}
		if p.minID != "" && cmpID(id, p.minID) <= 0 {
			continue
		}
		cand = append(cand, i)
	}
	if len(cand) <= p.limit {
		return cand
	}
	if p.minID != "" {
		return cand[len(cand)-p.limit:]
	}
	return cand[:p.limit]
}

// pageURL builds a Link target: the request path with the permitted query
// parameters kept and the cursor set, keys sorted as Rails' to_query does.
func (c *call) pageURL(permitted []string, cursor, value string) string {
	q := url.Values{}
	for _, k := range permitted {
		for _, key := range []string{k, k + "[]"} {
			if v, ok := c.p[key]; ok {
				q[key] = append([]string(nil), v...)
			}
		}
	}
	q.Set(cursor, value)
	return c.s.URL + c.r.URL.Path + "?" + q.Encode()
}

func (c *call) setLink(next, prev string) {
	var parts []string
	if next != "" {
		parts = append(parts, "<"+next+`>; rel="next"`)
	}
	if prev != "" {
		parts = append(parts, "<"+prev+`>; rel="prev"`)
	}
	if len(parts) > 0 {
		c.hdr.Set("Link", strings.Join(parts, ", "))
	}
}

// linkTimeline sets the Link header the way timeline and notification
// endpoints do: both links whenever the page is not empty.
func (c *call) linkTimeline(keys []string, permitted []string) {
	if len(keys) == 0 {
		return
	}
	c.setLink(c.pageURL(permitted, "max_id", keys[len(keys)-1]), c.pageURL(permitted, "min_id", keys[0]))
}

// linkAccounts sets the Link header the way account lists, bookmarks and
// the like do: "next" only when the page was full, "prev" when not empty.
func (c *call) linkAccounts(keys []string, pg pager, permitted []string) {
	c.linkList(keys, pg, permitted, "since_id")
}

// linkList is linkAccounts with the cursor "prev" uses: since_id for the
// older account-list controllers, min_id for newer ones.
func (c *call) linkList(keys []string, pg pager, permitted []string, prevKey string) {
	if len(keys) == 0 {
		return
	}
	if permitted == nil {
		permitted = []string{"limit"}
	}
	next := ""
	if len(keys) == pg.limit {
		next = c.pageURL(permitted, "max_id", keys[len(keys)-1])
	}
	c.setLink(next, c.pageURL(permitted, prevKey, keys[0]))
}
