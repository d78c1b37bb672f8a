package mastodon

import (
	"context"
	"errors"
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
// client's own server are followed (see NodeInfo for what counts); others
// fail with ErrIllegalArgument.
//
//api:endpoint GET /nodeinfo/2.0
//api:since 3.0.0
func (s *InstanceService) NodeInfoDocument(ctx context.Context, href string, opts ...CallOption) (*NodeInfo, error) {
	origin, raw, err := s.c.sameServerLink(href)
	if err != nil {
		return nil, illegalArg(err.Error())
	}
	return s.nodeInfoAt(ctx, origin, raw, opts)
}

func (s *InstanceService) nodeInfoAt(ctx context.Context, origin, raw string, opts []CallOption) (*NodeInfo, error) {
	r := req{Method: http.MethodGet, Path: "/nodeinfo/2.0", RawPath: raw, Auth: authNone, NoVersionCheck: true}
	if origin != "" {
		u, err := url.Parse(origin)
		if err != nil {
			return nil, illegalArg("NodeInfo link: " + err.Error())
		}
		r.Elsewhere = &elsewhere{u, scopeSameName}
	}
	return call[NodeInfo](ctx, s.c, r, opts)
}

// NodeInfo discovers the server's NodeInfo document and fetches it: the
// software's name and version, protocols, usage counts and whether sign-ups
// are open. It prefers schema 2.1, then 2.0, and follows the link only when
// it leads to the client's server: its host, or the same server under
// another name, which is a loopback name for a loopback server
// (127.0.0.1 and localhost) or the name with or without "www.", on the same
// port. Such a request carries no credential. A link elsewhere is the
// server's fault: a *DecodeError (ErrDecode) naming the discovery document.
//
//api:endpoint GET /.well-known/nodeinfo
//api:endpoint GET /nodeinfo/2.0
//api:since 3.0.0
func (s *InstanceService) NodeInfo(ctx context.Context, opts ...CallOption) (*NodeInfo, error) {
	links, err := s.NodeInfoLinks(ctx, opts...)
	if err != nil {
		return nil, err
	}
	where := s.c.base.String() + "/.well-known/nodeinfo"
	l := links.Preferred()
	if l == nil {
		return nil, &DecodeError{Method: http.MethodGet, URL: where,
			StatusCode: http.StatusOK, Err: fmt.Errorf("no NodeInfo 2.x link among %d links", len(links.Links))}
	}
	origin, raw, err := s.c.sameServerLink(l.Href)
	if err != nil {
		return nil, &DecodeError{Method: http.MethodGet, URL: where, StatusCode: http.StatusOK,
			Err: fmt.Errorf("the server's NodeInfo link cannot be followed: %w", err)}
	}
	return s.nodeInfoAt(ctx, origin, raw, opts)
}

// sameServerPath turns a link into an escaped path and query for the
// client's server, refusing links to other hosts or names.
func (c *Client) sameServerPath(href string) (string, error) {
	origin, raw, err := c.sameServerLink(href)
	if err == nil && origin != "" {
		err = errors.New("link leads to another name than the client's server")
	}
	if err != nil {
		return "", illegalArg(err.Error())
	}
	return raw, nil
}

// sameServerLink turns a link into an escaped path and query on the
// client's server, with origin "" for the client's own host, or the
// link's scheme and host when it names the same server otherwise (see
// NodeInfo). Other links are refused with the reason. A link under the
// client's base path loses that prefix (buildURL adds it back).
func (c *Client) sameServerLink(href string) (origin, path string, err error) {
	href = strings.TrimSpace(href)
	if href == "" {
		return "", "", errors.New("empty link")
	}
	u, err := url.Parse(href)
	if err != nil {
		return "", "", errors.New("unparseable link")
	}
	if u.IsAbs() || u.Host != "" {
		if u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "" {
			return "", "", errors.New("link is not http(s): " + redactURL(u))
		}
		if !strings.EqualFold(u.Host, c.base.Host) {
			if u.Scheme == "" || !c.destOK(u, scopeSameName) {
				return "", "", errors.New("link leads to another host than the client's server: " + redactURL(u))
			}
			origin = u.Scheme + "://" + u.Host
		}
	}
	path = u.EscapedPath()
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") {
		return "", "", errors.New("link has no absolute path")
	}
	for _, seg := range strings.Split(path, "/") {
		if seg == ".." || seg == "." {
			return "", "", errors.New("link path has dot segments")
		}
	}
	if base := c.base.EscapedPath(); origin == "" && base != "" && strings.HasPrefix(path, base+"/") {
		path = strings.TrimPrefix(path, base)
	}
	if u.RawQuery != "" {
		path += "?" + u.RawQuery
	}
	return origin, path, nil
}
