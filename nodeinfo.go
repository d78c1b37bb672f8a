package mastodon

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// NodeInfoLinks is the NodeInfo discovery document a server publishes at
// /.well-known/nodeinfo: where its NodeInfo documents are, by schema.
type NodeInfoLinks struct {
	Links []NodeInfoLink `json:"links"`
}

// NodeInfoLink points at one NodeInfo document.
type NodeInfoLink struct {
	// Rel names the schema, e.g. "http://nodeinfo.diaspora.software/ns/schema/2.0".
	Rel  string `json:"rel"`
	Href string `json:"href"`
}

// nodeInfoSchemaPrefix starts the rel of every NodeInfo schema version.
const nodeInfoSchemaPrefix = "http://nodeinfo.diaspora.software/ns/schema/"

// nodeInfoSchemas are the schema versions Tusk reads, preferred first.
var nodeInfoSchemas = []string{"2.1", "2.0"}

// Preferred returns the link to the newest NodeInfo 2.x document the
// server offers, or nil when there is none.
func (l *NodeInfoLinks) Preferred() *NodeInfoLink {
	if l == nil {
		return nil
	}
	for _, v := range nodeInfoSchemas {
		for i := range l.Links {
			rel := strings.TrimSuffix(strings.TrimSpace(l.Links[i].Rel), "#")
			if (rel == nodeInfoSchemaPrefix+v || rel == "https://nodeinfo.diaspora.software/ns/schema/"+v) && l.Links[i].Href != "" {
				return &l.Links[i]
			}
		}
	}
	return nil
}

// NodeInfoLinks fetches the NodeInfo discovery document. It sends no token
// and skips the version check (servers of every kind publish it).
//
//api:endpoint GET /.well-known/nodeinfo
//api:since 3.0.0
func (s *InstanceService) NodeInfoLinks(ctx context.Context, opts ...CallOption) (*NodeInfoLinks, error) {
	return call[NodeInfoLinks](ctx, s.c, req{Method: http.MethodGet, Path: "/.well-known/nodeinfo", Auth: authNone, NoVersionCheck: true}, opts)
}

// NodeInfoDocument fetches the NodeInfo document at href, a link from
// NodeInfoLinks (absolute, or relative to the server). Only links to the
// client's own server are followed; others fail with ErrIllegalArgument.
//
//api:endpoint GET /nodeinfo/2.0
//api:since 3.0.0
func (s *InstanceService) NodeInfoDocument(ctx context.Context, href string, opts ...CallOption) (*Nodeinfo, error) {
	raw, err := s.c.sameServerPath(href)
	if err != nil {
		return nil, err
	}
	return call[Nodeinfo](ctx, s.c, req{Method: http.MethodGet, Path: "/nodeinfo/2.0", RawPath: raw, Auth: authNone, NoVersionCheck: true}, opts)
}

// NodeInfo discovers the server's NodeInfo document and fetches it: the
// software's name and version, protocols, usage counts and whether sign-ups
// are open. It prefers schema 2.1, then 2.0, and follows the link only when
// it stays on the client's server.
//
//api:endpoint GET /.well-known/nodeinfo
//api:endpoint GET /nodeinfo/2.0
//api:since 3.0.0
func (s *InstanceService) NodeInfo(ctx context.Context, opts ...CallOption) (*Nodeinfo, error) {
	links, err := s.NodeInfoLinks(ctx, opts...)
	if err != nil {
		return nil, err
	}
	l := links.Preferred()
	if l == nil {
		return nil, observe(&DecodeError{Method: http.MethodGet, URL: s.c.base.String() + "/.well-known/nodeinfo",
			StatusCode: http.StatusOK, Err: fmt.Errorf("no NodeInfo 2.x link among %d links", len(links.Links))})
	}
	return s.NodeInfoDocument(ctx, l.Href, opts...)
}

// sameServerPath turns a link into an escaped path and query for the
// client's server, refusing links to other hosts. A link under the
// client's base path loses that prefix (buildURL adds it back).
func (c *Client) sameServerPath(href string) (string, error) {
	href = strings.TrimSpace(href)
	if href == "" {
		return "", illegalArg("empty link")
	}
	u, err := url.Parse(href)
	if err != nil {
		return "", illegalArg("unparseable link")
	}
	if u.IsAbs() || u.Host != "" {
		if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "" {
			return "", illegalArg("link is not http(s): " + redactURL(u))
		}
		// The document is fetched from the client's own origin, so only
		// the link's host and port must be the server's; servers behind
		// a TLS proxy often write http:// links.
		v := *c.base.ResolveReference(u)
		v.Scheme = c.base.Scheme
		if c.checkDest(&v, scopeServer, "to follow the NodeInfo link") != nil {
			return "", illegalArg("link leads to another host than the client's server: " + redactURL(u))
		}
	}
	path := u.EscapedPath()
	if !strings.HasPrefix(path, "/") {
		return "", illegalArg("link has no absolute path")
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == ".." || seg == "." {
			return "", illegalArg("link path has dot segments")
		}
	}
	if base := c.base.EscapedPath(); base != "" && strings.HasPrefix(path, base+"/") {
		path = strings.TrimPrefix(path, base)
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return path, nil
}
