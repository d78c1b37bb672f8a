package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func nodeinfoReplay(cases *replayTable) {
	cases.add("GET /.well-known/nodeinfo", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		l, err := c.Instance.NodeInfoLinks(ctx)
		if err == nil && l.Preferred() == nil {
			return errors.New("no NodeInfo link decoded")
		}
		return err
	})
	cases.add("GET /nodeinfo/2.0", func(ctx context.Context, c *Client, it *corpus.Interaction) error {
		n, err := c.Instance.NodeInfoDocument(ctx, it.Request.Path)
		if err == nil && n.Software.Name == "" {
			return errors.New("no software name decoded")
		}
		return err
	})
	// NodeInfo is public; Tusk sends it no token.
	cases.noAuth["GET /.well-known/nodeinfo"] = true
	cases.noAuth["GET /nodeinfo/2.0"] = true
}

const nodeinfoDoc = `{"version":"2.0","software":{"name":"mastodon","version":"4.6.4"},"protocols":["activitypub"],` +
	`"services":{"outbound":[],"inbound":[]},"usage":{"users":{"total":4,"activeMonth":1,"activeHalfyear":2},"localPosts":5},` +
	`"openRegistrations":true,"metadata":{"nodeName":"Mastodon","nodeDescription":""}}`

func TestInstanceNodeInfo(t *testing.T) {
	c, mux, _ := setup(t)
	var host string
	mux.HandleFunc("/.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "")
		host = r.Host
		fmt.Fprintf(w, `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"http://%s/nodeinfo/2.0"},`+
			`{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"http://%s/nodeinfo/2.1?x=1"},`+
			`{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.0","href":"http://%s/nodeinfo/1.0"}]}`, r.Host, r.Host, r.Host)
	})
	mux.HandleFunc("/nodeinfo/2.1", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "x=1")
		testHeader(t, r, "Authorization", "")
		fmt.Fprint(w, strings.Replace(nodeinfoDoc, `"2.0"`, `"2.1"`, 1))
	})
	mux.HandleFunc("/nodeinfo/2.0", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "")
		fmt.Fprint(w, nodeinfoDoc)
	})
	ctx := context.Background()
	n, err := c.Instance.NodeInfo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n.Version != "2.1" || n.Software.Name != "mastodon" || n.Software.Version != "4.6.4" || n.Usage.Users.Total != 4 ||
		n.Usage.LocalPosts != 5 || !n.OpenRegistrations || n.Metadata.NodeName != "Mastodon" {
		t.Errorf("decoded %+v", n)
	}
	// A relative link and an absolute one on the same host both work.
	for _, href := range []string{"/nodeinfo/2.0", "http://" + host + "/nodeinfo/2.0", "https://" + host + "/nodeinfo/2.0"} {
		if n, err := c.Instance.NodeInfoDocument(ctx, href); err != nil || n.Version != "2.0" {
			t.Errorf("%s: %+v, %v", href, n, err)
		}
	}
}

func TestInstanceNodeInfoRefusesOtherHosts(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://evil.example/nodeinfo/2.0"}]}`)
	})
	ctx := context.Background()
	// A bad link from the server blames the server, not the caller.
	if _, err := c.Instance.NodeInfo(ctx); !errors.Is(err, ErrDecode) || errors.Is(err, ErrIllegalArgument) {
		t.Errorf("foreign link: err = %v, want ErrDecode", err)
	}
	for _, href := range []string{"", "//evil.example/x", "ftp://" + strings.TrimPrefix(c.BaseURL(), "http://") + "/x", "/a/../b", "relative"} {
		if _, err := c.Instance.NodeInfoDocument(ctx, href); !errors.Is(err, ErrIllegalArgument) {
			t.Errorf("%q: err = %v, want ErrIllegalArgument", href, err)
		}
	}
}

func TestInstanceNodeInfoBadDiscovery(t *testing.T) {
	c, mux, _ := setup(t)
	body := `{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/1.0","href":"/nodeinfo/1.0"}]}`
	mux.HandleFunc("/.well-known/nodeinfo", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, body) })
	ctx := context.Background()
	if _, err := c.Instance.NodeInfo(ctx); !errors.Is(err, ErrDecode) {
		t.Errorf("no 2.x link: err = %v, want ErrDecode", err)
	}
	body = `{"links":`
	if _, err := c.Instance.NodeInfo(ctx); !errors.Is(err, ErrDecode) {
		t.Errorf("truncated: err = %v, want ErrDecode", err)
	}
	body = `<html></html>`
	if _, err := c.Instance.NodeInfo(ctx); !errors.Is(err, ErrDecode) {
		t.Errorf("html: err = %v, want ErrDecode", err)
	}
}

func TestNodeInfoLinksPreferred(t *testing.T) {
	var nilLinks *NodeInfoLinks
	if nilLinks.Preferred() != nil {
		t.Error("nil links have a preferred one")
	}
	l := &NodeInfoLinks{Links: []NodeInfoLink{
		{Rel: "https://nodeinfo.diaspora.software/ns/schema/2.0", Href: "/a"},
		{Rel: "http://nodeinfo.diaspora.software/ns/schema/2.1", Href: ""},
	}}
	if p := l.Preferred(); p == nil || p.Href != "/a" {
		t.Errorf("preferred %+v", p)
	}
}

func FuzzNodeInfoLinks(f *testing.F) {
	f.Add(`{"links":[{"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"http://localhost:3000/nodeinfo/2.0"}]}`)
	f.Add(`{"links":null}`)
	f.Add(`{"links":[{"rel":1}]}`)
	c, err := newScannedClient("https://example.social")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var l NodeInfoLinks
		if unmarshalJSON([]byte(s), &l) != nil {
			return
		}
		if p := l.Preferred(); p != nil {
			if raw, err := c.sameServerPath(p.Href); err == nil && (!strings.HasPrefix(raw, "/") || strings.HasPrefix(raw, "//")) {
				t.Errorf("path %q from %q", raw, p.Href)
			}
		}
	})
}
