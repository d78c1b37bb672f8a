package mastodontest

import (
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Preview cards. Mastodon fetches the first outside http(s) link of a
// status in the background and attaches the page's card; this server
// never fetches anything. The card of a link is what SetPreviewCard
// registered for its URL, or else one derived from the URL alone: type
// "link", the host as title, everything else empty. As on Mastodon the
// answer to POST /api/v1/statuses has "card": null (the fetch has not run
// yet); every later read of the status has the card. Editing the text
// picks the card again.

// PreviewCard is the page metadata a URL's preview card shows.
type PreviewCard struct {
	Title        string
	Description  string
	Type         string // "link" (default), "photo", "video" or "rich"
	AuthorName   string
	AuthorURL    string
	ProviderName string
	ProviderURL  string
	HTML         string
	Width        int
	Height       int
	Image        string // "" for none
	ImageDesc    string
	EmbedURL     string
	Blurhash     string // "" for none
	Language     string // "" for unknown
	PublishedAt  time.Time
}

// SetPreviewCard registers the card of a URL, as if fetching it had found
// that metadata. Statuses linking it, old and new, show it. A card with
// neither Title nor HTML stands for a page that yields no card: statuses
// linking it get "card": null, as Mastodon does then.
func (s *Server) SetPreviewCard(rawURL string, card PreviewCard) {
	u := normalizeCardURL(rawURL)
	if u == "" {
		panic("mastodontest: SetPreviewCard: not an http(s) URL: " + rawURL)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := card
	s.st.x.cards[u] = &c
}

var cardURLRE = regexp.MustCompile(`https?://[^\s<>"]+`)

// normalizeCardURL lower-cases scheme and host and gives an empty path a
// "/", as Addressable's normalize does; "" for anything but http(s) URLs.
func normalizeCardURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return ""
	}
	u.Scheme, u.Host = strings.ToLower(u.Scheme), strings.ToLower(u.Host)
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// cardURLOf finds the link a status's card is for: the first http(s) URL
// of its text that is not on this server.
func (st *store) cardURLOf(text string) string {
	for _, raw := range cardURLRE.FindAllString(text, -1) {
		raw = strings.TrimRight(raw, ".,;:!?'\"")
		if strings.HasSuffix(raw, ")") && strings.Count(raw, "(") < strings.Count(raw, ")") {
			raw = strings.TrimSuffix(raw, ")")
		}
		u := normalizeCardURL(raw)
		if u == "" {
			continue
		}
		if pu, _ := url.Parse(u); pu != nil && strings.EqualFold(pu.Host, st.srv.domain()) {
			continue
		}
		return u
	}
	return ""
}

// attachCard (re)computes which link s's card is for.
func (st *store) attachCard(s *status) {
	if s.reblog != nil {
		return
	}
	s.cardURL = st.cardURLOf(s.text)
}

type jsonCardAuthor struct {
	Name    string `json:"name"`
	URL     string `json:"url"`
	Account any    `json:"account"`
}

type jsonCard struct {
	URL                string           `json:"url"`
	Title              string           `json:"title"`
	Description        string           `json:"description"`
	Language           *string          `json:"language"`
	Type               string           `json:"type"`
	AuthorName         string           `json:"author_name"`
	AuthorURL          string           `json:"author_url"`
	ProviderName       string           `json:"provider_name"`
	ProviderURL        string           `json:"provider_url"`
	HTML               string           `json:"html"`
	Width              int              `json:"width"`
	Height             int              `json:"height"`
	Image              *string          `json:"image"`
	ImageDescription   string           `json:"image_description"`
	EmbedURL           string           `json:"embed_url"`
	Blurhash           *string          `json:"blurhash"`
	PublishedAt        *string          `json:"published_at"`
	MissingAttribution bool             `json:"missing_attribution"`
	Authors            []jsonCardAuthor `json:"authors"`
	History            []map[string]any `json:"history,omitempty"`
}

// cardFor returns the card shown for a link, or nil when the link yields
// none.
func (st *store) cardFor(u string) *jsonCard {
	if u == "" {
		return nil
	}
	meta := st.x.cards[u]
	if meta == nil {
		host := u
		if pu, err := url.Parse(u); err == nil {
			host = pu.Hostname()
		}
		meta = &PreviewCard{Title: host}
	}
	if meta.Title == "" && meta.HTML == "" {
		return nil
	}
	j := &jsonCard{URL: u, Title: meta.Title, Description: meta.Description, Type: meta.Type,
		AuthorName: meta.AuthorName, AuthorURL: meta.AuthorURL, ProviderName: meta.ProviderName,
		ProviderURL: meta.ProviderURL, HTML: meta.HTML, Width: meta.Width, Height: meta.Height,
		ImageDescription: meta.ImageDesc, EmbedURL: meta.EmbedURL, Authors: []jsonCardAuthor{}}
	if j.Type == "" {
		j.Type = "link"
	}
	if meta.Language != "" {
		j.Language = ptr(meta.Language)
	}
	if meta.Image != "" {
		j.Image = ptr(meta.Image)
	}
	if meta.Blurhash != "" {
		j.Blurhash = ptr(meta.Blurhash)
	}
	if !meta.PublishedAt.IsZero() {
		j.PublishedAt = ptr(fmtTime(meta.PublishedAt))
	}
	if meta.AuthorName != "" || meta.AuthorURL != "" {
		j.Authors = append(j.Authors, jsonCardAuthor{Name: meta.AuthorName, URL: meta.AuthorURL})
	}
	return j
}

// statusCard is the "card" value of a rendered status: nil (JSON null)
// when it has none.
func (st *store) statusCard(s *status) any {
	if c := st.cardFor(s.cardURL); c != nil {
		return c
	}
	return nil
}
