package mastodon

import (
	"context"
	"html"
	"regexp"
	"slices"
	"strings"
	"time"
)

// landedSkew is how far the server's clock may be behind the client's
// when deciding whether a status was created by this post.
const landedSkew = 2 * time.Minute

// honoursIdempotency reports whether the server is known to perform a
// repeated request carrying the same Idempotency-Key once.
func honoursIdempotency(f Family) bool {
	switch f {
	case FamilyMastodon, FamilyGlitch, FamilyHometown, FamilyFedibird, FamilyPleroma, FamilyAkkoma:
		return true
	}
	return false
}

// postOnce sends a post, retrying it itself so that it lands once: see
// Statuses.Post.
func (s *StatusesService) postOnce(ctx context.Context, r req, w *PostStatusParams, opts []CallOption) (*PostedStatus, error) {
	start := time.Now()
	send := func() (*PostedStatus, error) {
		return call[PostedStatus](ctx, s.c, r, append(opts[:len(opts):len(opts)], func(o *callOptions) { o.noRetry = true }))
	}
	out, err := send()
	policy := s.c.cfg.retry
	for attempt := 0; err != nil && isTransient(err) && attempt < policy.MaxRetries; attempt++ {
		if serr := sleepCtx(ctx, policy.backoff(attempt)); serr != nil {
			return nil, err
		}
		if info, ierr := s.c.ServerInfo(ctx); ierr == nil && honoursIdempotency(info.Family) {
			out, err = send()
			continue
		}
		found, lerr := s.landed(ctx, w, start)
		switch {
		case lerr != nil:
			s.c.log.DebugContext(ctx, "mastodon post: cannot tell whether the post landed; not re-sending", "error", lerr.Error())
			continue
		case found != nil:
			return found, nil
		}
		out, err = send()
	}
	return out, err
}

// landed looks for the status (or scheduled status) w describes among the
// user's newest ones created since start, nil when there is none.
func (s *StatusesService) landed(ctx context.Context, w *PostStatusParams, start time.Time) (*PostedStatus, error) {
	if !w.ScheduledAt.IsZero() {
		page, err := s.c.ScheduledStatuses.List(ctx, &ListOptions{Limit: 40})
		if err != nil {
			return nil, err
		}
		for _, sc := range page.Items {
			if matchScheduled(sc, w) {
				return &PostedStatus{Scheduled: sc}, nil
			}
		}
		return nil, nil
	}
	me, err := s.c.Accounts.VerifyCredentials(ctx)
	if err != nil {
		return nil, err
	}
	page, err := s.c.Accounts.Statuses(ctx, me.ID, &AccountStatusesOptions{Limit: 20})
	if err != nil {
		return nil, err
	}
	for _, st := range page.Items {
		if matchPosted(st, w, start) {
			return &PostedStatus{Status: st}, nil
		}
	}
	return nil, nil
}

// matchPosted reports whether st is what w posted at or after start.
func matchPosted(st *Status, w *PostStatusParams, start time.Time) bool {
	if st == nil || st.Reblog != nil || st.CreatedAt.Before(start.Add(-landedSkew)) {
		return false
	}
	if deref(st.InReplyToID) != w.InReplyToID || strings.TrimSpace(st.SpoilerText) != strings.TrimSpace(w.SpoilerText) {
		return false
	}
	if w.Visibility != "" && st.Visibility != w.Visibility {
		return false
	}
	ids := make([]string, 0, len(st.MediaAttachments))
	for _, m := range st.MediaAttachments {
		ids = append(ids, m.ID)
	}
	if !sameSet(ids, w.MediaIDs) {
		return false
	}
	if (w.Poll != nil) != (st.Poll != nil) {
		return false
	}
	if w.Poll != nil {
		opts := make([]string, 0, len(st.Poll.Options))
		for _, o := range st.Poll.Options {
			opts = append(opts, o.Title)
		}
		if !slices.Equal(opts, w.Poll.Options) {
			return false
		}
	}
	if st.Text != nil && *st.Text != "" {
		return sameText(*st.Text, w.Status)
	}
	return sameText(visibleText(st.Content), w.Status)
}

func matchScheduled(sc *ScheduledStatus, w *PostStatusParams) bool {
	if sc == nil || !sameText(sc.Params.Text, w.Status) || deref(sc.Params.InReplyToID) != w.InReplyToID {
		return false
	}
	// The time was sent to the microsecond (form.TimeLayout).
	return sc.ScheduledAt.Equal(w.ScheduledAt.Truncate(time.Microsecond)) && sameSet(sc.Params.MediaIDs, w.MediaIDs)
}

func deref(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// mentionDomain is the domain part of a mention, which servers leave out
// of the rendered text.
var mentionDomain = regexp.MustCompile(`(@[\w.]+)@[\w.-]+\w`)

// sameText compares posted text with what the server shows: whitespace
// runs count as one space and mentions lose their domain.
func sameText(shown, sent string) bool {
	norm := func(s string) string {
		return strings.Join(strings.Fields(mentionDomain.ReplaceAllString(s, "$1")), " ")
	}
	return norm(shown) == norm(sent)
}

// visibleText is the text of status HTML: tags dropped (line breaks and
// paragraph ends become spaces), character references decoded.
func visibleText(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			break // an unterminated tag: the rest is not text
		}
		name := strings.ToLower(strings.TrimLeft(s[i+1:i+j], "/"))
		if k := strings.IndexAny(name, " \t\n/"); k >= 0 {
			name = name[:k]
		}
		if name == "br" || name == "p" {
			b.WriteByte(' ')
		}
		s = s[i+j+1:]
	}
	return html.UnescapeString(b.String())
}
