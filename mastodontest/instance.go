package mastodontest

import (
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

var mimeTypes = []string{"image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp", "image/avif",
	"video/webm", "video/mp4", "video/quicktime", "video/ogg", "audio/wave", "audio/wav", "audio/x-wav",
	"audio/x-pn-wave", "audio/vnd.wave", "audio/ogg", "audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm",
	"audio/flac", "audio/aac", "audio/m4a", "audio/x-m4a", "audio/mp4", "audio/3gpp", "video/x-ms-asf"}

func (s *Server) instanceRoutes() {
	s.handle("GET /api/v1/instance", route{h: s.instanceV1})
	s.handle("GET /api/v2/instance", route{h: s.instanceV2})
	// Mastodon's health check, and its home page: clients send HEAD / for
	// the Date header to estimate the server's clock.
	s.mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("OK"))
	})
	s.mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>" + html.EscapeString(s.cfg.title) + "</title></head><body><p>An in-memory Mastodon-compatible test server.</p></body></html>\n"))
	})
	s.handle("GET /api/v1/instance/peers", route{h: func(c *call) (result, *apiError) { return ok([]string{}), nil }})
	s.handle("GET /api/v1/instance/activity", route{h: s.instanceActivity})
	s.handle("GET /api/v1/instance/rules", route{h: func(c *call) (result, *apiError) { return ok(c.st.renderRules()), nil }})
	s.handle("GET /api/v1/instance/languages", route{h: func(c *call) (result, *apiError) {
		return ok([]map[string]string{{"code": "en", "name": "English"}, {"code": "de", "name": "German"}, {"code": "ja", "name": "Japanese"}}), nil
	}})
	s.handle("GET /api/v1/instance/extended_description", route{h: func(c *call) (result, *apiError) {
		return ok(map[string]any{"updated_at": nil, "content": ""}), nil
	}})
	s.handle("GET /api/v1/custom_emojis", route{h: s.customEmojis})
	s.handle("GET /.well-known/nodeinfo", route{h: func(c *call) (result, *apiError) {
		return ok(map[string]any{"links": []map[string]string{{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": s.URL + "/nodeinfo/2.0"}}}), nil
	}})
	s.handle("GET /nodeinfo/2.0", route{h: s.nodeinfo})
}

func (st *store) localPosts() int {
	n := 0
	for _, x := range st.timeline {
		if x.reblog == nil {
			n++
		}
	}
	return n
}

func (s *Server) instanceV1(c *call) (result, *apiError) {
	st := c.st
	return ok(map[string]any{
		"uri": s.domain(), "title": s.cfg.title, "short_description": "", "description": "", "email": "",
		"version": s.cfg.version, "urls": map[string]any{"streaming_api": s.StreamingURL()},
		"stats":     map[string]any{"user_count": len(st.accounts), "status_count": st.localPosts(), "domain_count": 1},
		"thumbnail": s.URL + "/packs/images/preview.png", "languages": []string{"en"},
		"registrations": s.cfg.registrations, "approval_required": false, "invites_enabled": true,
		"configuration": map[string]any{
			"accounts": map[string]any{"max_featured_tags": 10},
			"statuses": map[string]any{"max_characters": s.cfg.maxChars, "max_media_attachments": 4, "characters_reserved_per_url": 23},
			"media_attachments": map[string]any{"supported_mime_types": mimeTypes, "image_size_limit": 16777216,
				"image_matrix_limit": 33177600, "video_size_limit": 103809024, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400},
			"polls": map[string]any{"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746},
		},
		"contact_account": nil, "rules": st.renderRules(),
	}), nil
}

func (s *Server) instanceV2(c *call) (result, *apiError) {
	icons := []map[string]string{}
	for _, n := range []string{"36", "48", "72", "96", "144", "192", "256", "384", "512"} {
		icons = append(icons, map[string]string{"src": s.URL + "/packs/icons/android-chrome-" + n + "x" + n + ".png", "size": n + "x" + n})
	}
	pub := map[string]string{"local": "public", "remote": "public"}
	return ok(map[string]any{
		"domain": s.domain(), "title": s.cfg.title, "version": s.cfg.version,
		"source_url": "https://github.com/mastodon/mastodon", "description": "",
		"usage":     map[string]any{"users": map[string]any{"active_month": len(c.st.accounts)}},
		"thumbnail": map[string]any{"url": s.URL + "/packs/images/preview.png", "description": "An in-memory Mastodon-compatible test server."},
		"icon":      icons, "languages": []string{"en"},
		"configuration": map[string]any{
			"urls": map[string]any{"streaming": s.StreamingURL(), "status": nil, "about": s.URL + "/about",
				"privacy_policy": s.URL + "/privacy-policy", "terms_of_service": nil},
			"vapid": map[string]any{"public_key": vapidKey},
			"accounts": map[string]any{"max_display_name_length": 30, "max_note_length": 500, "max_avatar_description_length": 150,
				"max_header_description_length": 150, "max_featured_tags": 10, "max_pinned_statuses": 5, "max_profile_fields": 4,
				"profile_field_name_limit": 255, "profile_field_value_limit": 255},
			"statuses": map[string]any{"max_characters": s.cfg.maxChars, "max_media_attachments": 4, "characters_reserved_per_url": 23},
			"media_attachments": map[string]any{"description_limit": 1500, "image_matrix_limit": 33177600, "image_size_limit": 16777216,
				"supported_mime_types": mimeTypes, "video_frame_rate_limit": 120, "video_matrix_limit": 8294400, "video_size_limit": 103809024},
			"polls":              map[string]any{"max_options": 4, "max_characters_per_option": 50, "min_expiration": 300, "max_expiration": 2629746},
			"translation":        map[string]any{"enabled": c.st.translationEnabled()},
			"timelines_access":   map[string]any{"live_feeds": pub, "hashtag_feeds": pub, "trending_link_feeds": pub},
			"limited_federation": false,
		},
		"registrations": map[string]any{"enabled": s.cfg.registrations, "approval_required": false, "reason_required": false,
			"message": nil, "min_age": nil, "url": nil},
		"api_versions": map[string]any{"mastodon": s.cfg.apiVersion},
		"wrapstodon":   nil,
		"contact":      map[string]any{"email": "", "account": nil},
		"rules":        c.st.renderRules(),
	}), nil
}

func (s *Server) instanceActivity(c *call) (result, *apiError) {
	now := s.now()
	out := []map[string]string{}
	for i := range 12 {
		week := now.AddDate(0, 0, -7*i).Truncate(24 * 7 * 3600e9)
		out = append(out, map[string]string{"week": strconv.FormatInt(week.Unix(), 10), "statuses": "0", "logins": "0", "registrations": "0"})
	}
	out[0]["statuses"] = strconv.Itoa(c.st.localPosts())
	return ok(out), nil
}

func (s *Server) nodeinfo(c *call) (result, *apiError) {
	return ok(map[string]any{
		"version": "2.0", "software": map[string]any{"name": "mastodon", "version": s.cfg.version},
		"protocols": []string{"activitypub"}, "services": map[string]any{"outbound": []any{}, "inbound": []any{}},
		"usage": map[string]any{"users": map[string]any{"total": len(c.st.accounts), "activeMonth": len(c.st.accounts),
			"activeHalfyear": len(c.st.accounts)}, "localPosts": c.st.localPosts()},
		"openRegistrations": s.cfg.registrations,
		"metadata":          map[string]any{"nodeName": s.cfg.title, "nodeDescription": ""},
	}), nil
}

func (s *Server) customEmojis(c *call) (result, *apiError) {
	out := []jsonEmoji{}
	for _, e := range c.st.emojis {
		out = append(out, jsonEmoji{Shortcode: e.shortcode, URL: e.url, StaticURL: e.url, VisibleInPicker: e.visible, Category: e.category})
	}
	slices.SortFunc(out, func(a, b jsonEmoji) int { return strings.Compare(a.Shortcode, b.Shortcode) })
	return ok(out), nil
}
