package main

// Extension is an endpoint a directive may name although neither reference
// file lists it.
type Extension struct {
	Endpoint string // as directives write it
	Reason   string
}

// knownExtensions is the allowlist. Keep docs/endpoints.md ("Known
// extensions") in step: a test compares them.
var knownExtensions = []Extension{
	{"PUT /api/v1/admin/reports/{id}", "admin API (Mastodon docs); Mastodon.py lacks it"},
	{"GET /api/v1/admin/tags", "admin API (Mastodon docs); Mastodon.py lacks it"},
	{"GET /api/v1/admin/tags/{id}", "admin API (Mastodon docs); Mastodon.py lacks it"},
	{"PUT /api/v1/admin/tags/{id}", "admin API (Mastodon docs); Mastodon.py lacks it"},
	{"GET /api/v1/admin/trends/links/publishers", "admin API (server routes); Mastodon.py lacks it"},
	{"POST /api/v1/admin/trends/links/publishers/{id}/approve", "admin API (server routes); Mastodon.py lacks it"},
	{"POST /api/v1/admin/trends/links/publishers/{id}/reject", "admin API (server routes); Mastodon.py lacks it"},
	{"GET /api/v1/notifications/policy", "v1 notification policy (Mastodon docs, deprecated for v2)"},
	{"PATCH /api/v1/notifications/policy", "v1 notification policy (Mastodon docs, deprecated for v2)"},
	{"GET /api/v1/streaming", "the WebSocket endpoint (Mastodon docs); every stream may use it"},
	{"GET /nodeinfo/2.0", "the nodeinfo document linked from /.well-known/nodeinfo"},
}
