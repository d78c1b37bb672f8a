package mastodontest

import "time"

// extra holds the state of the less central endpoints: reports, instance
// rules, user domain blocks, dismissed suggestions, registered preview
// cards, announcements and the trends and translation switches. It lives
// in the store, so Reset forgets all of it; per-entity entries are dropped
// when their entity goes (see DeleteAccount).
type extra struct {
	reports       []*report
	rules         []*rule
	domainBlocks  map[string][]*domainBlock // account id → blocks, oldest first
	hiddenSuggest map[edge]bool             // (account, dismissed suggestion)
	cards         map[string]*PreviewCard   // normalised URL → registered metadata
	announcements []*announcement           // oldest first
	trendsOff     bool
	translation   *bool                 // SetTranslation's choice, overriding WithTranslation
	notifRequests []*notifRequest       // oldest first (notifrequests.go)
	notifPermits  map[edge]bool         // (recipient, sender): an accepted request lets later notifications through
	featured      []*featuredTag        // featured tags, oldest first (featuredtags.go)
	mod           map[string]*modState  // account id → moderation state (admin.go)
	adminBlocks   []*adminDomainBlock   // instance domain blocks, oldest first
	adminLists    map[string]*adminList // domain allows, e-mail, canonical e-mail and IP blocks (admin_blocks.go)
	trendReview   map[string]bool       // "tag:name", "link:url", "status:id" → approved (true) or rejected (admin_trends.go)
	cardIDs       map[string]string     // link URL → preview card id, given when a trend first shows it
}

func newExtra() *extra {
	return &extra{
		domainBlocks:  map[string][]*domainBlock{},
		hiddenSuggest: map[edge]bool{},
		cards:         map[string]*PreviewCard{},
		notifPermits:  map[edge]bool{},
		mod:           map[string]*modState{},
		trendReview:   map[string]bool{},
		cardIDs:       map[string]string{},
	}
}

type report struct {
	id        string
	reporter  *account
	target    *account
	category  string
	comment   string
	forward   bool
	forwarded bool
	statusIDs []string
	ruleIDs   []string
	createdAt time.Time
	adm       adminReport // moderation: assignment and resolution (admin.go)
}

type rule struct {
	id, text, hint string
}

type domainBlock struct {
	id     string
	domain string
}

type announcement struct {
	id        string
	text      string
	startsAt  *time.Time
	endsAt    *time.Time
	allDay    bool
	published time.Time
	updated   time.Time
	read      map[string]bool         // account ids that dismissed it
	reactions []*announcementReaction // in order of first use
}

type announcementReaction struct {
	name     string
	accounts []string // account ids, in order of reaction
}
