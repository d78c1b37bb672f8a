package mastodontest

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Featured tags: hashtags an account shows on its profile.

type featuredTag struct {
	id        string
	account   *account
	name      string // as first featured
	createdAt time.Time
}

const maxFeaturedTags = 10 // the instance's accounts.max_featured_tags

func (s *Server) featuredTagRoutes() {
	r := []string{"read", "read:accounts"}
	w := []string{"write", "write:accounts"}
	s.handle("GET /api/v1/featured_tags", route{need: userToken, scopes: r, h: func(c *call) (result, *apiError) {
		return ok(c.st.renderFeatured(c.me)), nil
	}})
	s.handle("POST /api/v1/featured_tags", route{need: userToken, scopes: w, h: s.featureTag(true)})
	s.handle("DELETE /api/v1/featured_tags/{id}", route{need: userToken, scopes: w, h: s.unfeatureTagByID})
	s.handle("GET /api/v1/featured_tags/suggestions", route{need: userToken, scopes: r, h: s.featuredSuggestions})
	s.handle("GET /api/v1/accounts/{id}/featured_tags", route{h: func(c *call) (result, *apiError) {
		a := c.st.accounts[c.r.PathValue("id")]
		if a == nil {
			return result{}, errNotFound
		}
		return ok(c.st.renderFeatured(a)), nil
	}})
	s.handle("POST /api/v1/tags/{name}/feature", route{need: userToken, scopes: w, h: s.featureTag(false)})
	s.handle("POST /api/v1/tags/{name}/unfeature", route{need: userToken, scopes: w, h: s.unfeatureTagByName})
}

type jsonFeaturedTag struct {
	ID            string  `json:"id"`
	Name          string  `json:"name"`
	URL           string  `json:"url"`
	StatusesCount string  `json:"statuses_count"`
	LastStatusAt  *string `json:"last_status_at"`
}

func (st *store) featuredOf(a *account) []*featuredTag {
	var out []*featuredTag
	for _, f := range st.x.featured {
		if f.account == a {
			out = append(out, f)
		}
	}
	return out
}

func (st *store) isFeatured(a *account, name string) *featuredTag {
	for _, f := range st.featuredOf(a) {
		if strings.EqualFold(f.name, name) {
			return f
		}
	}
	return nil
}

// renderFeatured lists a's featured tags with the count and date of its
// statuses using each (public and unlisted ones, as on a profile).
func (st *store) renderFeatured(a *account) []jsonFeaturedTag {
	out := []jsonFeaturedTag{}
	for _, f := range st.featuredOf(a) {
		n := 0
		var last *time.Time
		for _, s := range st.timeline {
			if s.account == a && s.reblog == nil && (s.visibility == "public" || s.visibility == "unlisted") && st.hasTag(s, f.name) {
				n++
				last = &s.createdAt
			}
		}
		j := jsonFeaturedTag{ID: f.id, Name: f.name, URL: st.srv.URL + "/@" + a.username + "/tagged/" + strings.ToLower(f.name),
			StatusesCount: strconv.Itoa(n)}
		if last != nil {
			j.LastStatusAt = ptr(last.UTC().Format("2006-01-02"))
		}
		out = append(out, j)
	}
	return out
}

// featureTag features the tag in the name parameter (POST
// /api/v1/featured_tags, answering the FeaturedTag) or in the path (POST
// /api/v1/tags/{name}/feature, answering the Tag).
func (s *Server) featureTag(byParam bool) handler {
	return func(c *call) (result, *apiError) {
		name := strings.TrimPrefix(c.r.PathValue("name"), "#")
		if byParam {
			name = strings.TrimPrefix(strings.TrimSpace(c.p.str("name")), "#")
		}
		if !tagNameRE.MatchString(name) || name == "" {
			if !byParam {
				return result{}, errNotFound
			}
			return result{}, validation("name", "ERR_INVALID", "is invalid", "Tag is invalid")
		}
		st := c.st
		f := st.isFeatured(c.me, name)
		if f != nil && byParam {
			return result{}, validation("name", "ERR_TAKEN", "has already been taken", "Tag has already been taken")
		}
		if f == nil {
			if len(st.featuredOf(c.me)) >= maxFeaturedTags {
				return result{}, errf(422, "Validation failed: You cannot feature more than %d hashtags", maxFeaturedTags)
			}
			f = &featuredTag{id: st.nextSeq("featured_tag"), account: c.me, name: name, createdAt: s.now()}
			st.x.featured = append(st.x.featured, f)
		}
		if !byParam {
			return ok(st.renderTag(name, c.me)), nil
		}
		for _, j := range st.renderFeatured(c.me) {
			if j.ID == f.id {
				return ok(j), nil
			}
		}
		return result{}, errNotFound
	}
}

func (st *store) dropFeatured(f *featuredTag) {
	st.x.featured = slices.DeleteFunc(st.x.featured, func(x *featuredTag) bool { return x == f })
}

func (s *Server) unfeatureTagByID(c *call) (result, *apiError) {
	for _, f := range c.st.featuredOf(c.me) {
		if f.id == c.r.PathValue("id") {
			c.st.dropFeatured(f)
			return ok(nil), nil
		}
	}
	return result{}, errNotFound
}

func (s *Server) unfeatureTagByName(c *call) (result, *apiError) {
	name := strings.TrimPrefix(c.r.PathValue("name"), "#")
	if !tagNameRE.MatchString(name) {
		return result{}, errNotFound
	}
	if f := c.st.isFeatured(c.me, name); f != nil {
		c.st.dropFeatured(f)
	}
	return ok(c.st.renderTag(name, c.me)), nil
}

// featuredSuggestions offers the hashtags the caller used most recently
// and has not featured yet, at most 10.
func (s *Server) featuredSuggestions(c *call) (result, *apiError) {
	out := []jsonFullTag{}
	seen := map[string]bool{}
	for i := len(c.st.timeline) - 1; i >= 0 && len(out) < 10; i-- {
		x := c.st.timeline[i]
		if x.account != c.me || x.reblog != nil {
			continue
		}
		for _, t := range x.tags {
			l := strings.ToLower(t)
			if seen[l] || c.st.isFeatured(c.me, t) != nil || len(out) >= 10 {
				continue
			}
			seen[l] = true
			out = append(out, c.st.renderTag(t, c.me))
		}
	}
	return ok(out), nil
}
