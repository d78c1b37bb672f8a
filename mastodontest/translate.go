package mastodontest

import (
	"slices"
	"strings"
)

// Translation with a deterministic fake translator. It is off by default,
// as on a Mastodon server without a translation service (the translate
// endpoint answers 404 and instance v2 says translation is not enabled);
// WithTranslation or SetTranslation turn it on. The "translation" of a
// text into language xx is the text prefixed with "[xx] ", so tests can
// predict every field. The provider is "mastodontest".

// translationLanguages are the languages the fake translator knows; it
// translates any of them into any other.
var translationLanguages = []string{"de", "en", "es", "fr", "it", "ja", "nl", "pt"}

// WithTranslation turns the fake translator on from the start.
func WithTranslation() Option { return func(c *config) { c.translation = true } }

// SetTranslation turns the fake translator on or off.
func (s *Server) SetTranslation(enabled bool) {
	s.mu.Lock()
	s.st.x.translation = &enabled
	s.mu.Unlock()
}

func (st *store) translationEnabled() bool {
	if st.x.translation != nil {
		return *st.x.translation
	}
	return st.srv.cfg.translation
}

func (s *Server) translateRoutes() {
	s.handle("POST /api/v1/statuses/{id}/translate", route{need: anyToken, scopes: []string{"read", "read:statuses"}, h: s.translateStatus})
	s.handle("GET /api/v1/instance/translation_languages", route{h: s.translationLanguages})
}

func (s *Server) translationLanguages(c *call) (result, *apiError) {
	out := map[string][]string{}
	if c.st.translationEnabled() {
		for _, src := range translationLanguages {
			out[src] = slices.DeleteFunc(slices.Clone(translationLanguages), func(l string) bool { return l == src })
		}
	}
	return ok(out), nil
}

// targetLanguage is the lang parameter, or else the first language of
// Accept-Language, or else English (Mastodon's default locale).
func (c *call) targetLanguage() string {
	if l := strings.TrimSpace(c.p.str("lang")); l != "" {
		return l
	}
	for _, part := range strings.Split(c.r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		base, _, _ := strings.Cut(tag, "-")
		if base = strings.ToLower(strings.TrimSpace(base)); base != "" && base != "*" {
			return base
		}
	}
	return "en"
}

type jsonTranslationAttachment struct {
	ID          string `json:"id"`
	Description string `json:"description"`
}

type jsonTranslationPollOption struct {
	Title string `json:"title"`
}

type jsonTranslationPoll struct {
	ID      string                      `json:"id"`
	Options []jsonTranslationPollOption `json:"options"`
}

type jsonTranslation struct {
	Content                string                      `json:"content"`
	SpoilerText            string                      `json:"spoiler_text"`
	Poll                   *jsonTranslationPoll        `json:"poll"`
	MediaAttachments       []jsonTranslationAttachment `json:"media_attachments"`
	DetectedSourceLanguage string                      `json:"detected_source_language"`
	Language               string                      `json:"language"`
	Provider               string                      `json:"provider"`
}

// translateStatus answers like Mastodon's translations controller: 404
// "Record not found" for a status the caller cannot see, 404 "Not Found"
// when translation is off, 403 when the status is not public or unlisted
// or the language pair is not supported (including translating a status
// into its own language).
func (s *Server) translateStatus(c *call) (result, *apiError) {
	st := c.st
	x := st.statuses[c.r.PathValue("id")]
	if x == nil || !st.canSee(c.me, x) {
		return result{}, errNotFound
	}
	if x.reblog != nil {
		x = x.reblog
	}
	if !st.translationEnabled() {
		return result{}, errStatusNotFound
	}
	src := "en"
	if x.language != nil && *x.language != "" {
		src = *x.language
	}
	target := c.targetLanguage()
	if (x.visibility != "public" && x.visibility != "unlisted") || src == target ||
		!slices.Contains(translationLanguages, src) || !slices.Contains(translationLanguages, target) {
		return result{}, errForbidden
	}
	tr := func(text string) string {
		if text == "" {
			return ""
		}
		return "[" + target + "] " + text
	}
	j := jsonTranslation{
		Content:     textToHTML(s, tr(x.text), x.mentions, x.tags),
		SpoilerText: tr(x.spoiler), MediaAttachments: []jsonTranslationAttachment{},
		DetectedSourceLanguage: src, Language: target, Provider: "mastodontest",
	}
	if x.poll != nil {
		j.Poll = &jsonTranslationPoll{ID: x.poll.id, Options: []jsonTranslationPollOption{}}
		for _, o := range x.poll.options {
			j.Poll.Options = append(j.Poll.Options, jsonTranslationPollOption{Title: tr(o)})
		}
	}
	for _, m := range x.media {
		if m.description != nil && *m.description != "" {
			j.MediaAttachments = append(j.MediaAttachments, jsonTranslationAttachment{ID: m.id, Description: tr(*m.description)})
		}
	}
	return ok(j), nil
}
