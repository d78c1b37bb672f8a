package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tuskgo/mastodon/internal/corpus"
)

func instanceReplay(cases *replayTable) {
	simple := map[string]func(ctx context.Context, c *Client) error{
		"GET /api/v1/instance/activity":             func(ctx context.Context, c *Client) error { _, err := c.Instance.Activity(ctx); return err },
		"GET /api/v1/instance/domain_blocks":        func(ctx context.Context, c *Client) error { _, err := c.Instance.DomainBlocks(ctx); return err },
		"GET /api/v1/instance/extended_description": func(ctx context.Context, c *Client) error { _, err := c.Instance.ExtendedDescription(ctx); return err },
		"GET /api/v1/instance/languages":            func(ctx context.Context, c *Client) error { _, err := c.Instance.Languages(ctx); return err },
		"GET /api/v1/instance/rules":                func(ctx context.Context, c *Client) error { _, err := c.Instance.Rules(ctx); return err },
		"GET /api/v1/custom_emojis":                 func(ctx context.Context, c *Client) error { _, err := c.CustomEmojis.List(ctx); return err },
	}
	for ep, f := range simple {
		cases.add(ep, func(ctx context.Context, c *Client, _ *corpus.Interaction) error { return f(ctx, c) })
	}
}

// getCase is one argument-less GET of the Instance API: what it asks for
// and what a good answer decodes to.
type getCase struct {
	name  string
	path  string
	body  string
	call  func(ctx context.Context, c *Client) (any, error)
	check func(t *testing.T, v any)
}

func TestInstanceGetters(t *testing.T) {
	cases := []getCase{
		{"Get", "/api/v2/instance", `{"domain":"example.social","title":"Ex","version":"4.4.0","api_versions":{"mastodon":6}}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.Get(ctx) },
			func(t *testing.T, v any) {
				if i := v.(*Instance); i.Domain != "example.social" || i.Version != "4.4.0" {
					t.Errorf("decoded %+v", i)
				}
			}},
		{"GetV1", "/api/v1/instance", `{"uri":"example.social","title":"Ex","version":"3.5.3","stats":{"user_count":5}}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.GetV1(ctx) },
			func(t *testing.T, v any) {
				if i := v.(*V1Instance); i.URI != "example.social" || i.Stats.UserCount != 5 {
					t.Errorf("decoded %+v", i)
				}
			}},
		{"Peers", "/api/v1/instance/peers", `["a.example","b.example"]`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.Peers(ctx) },
			func(t *testing.T, v any) {
				if p := v.([]string); strings.Join(p, ",") != "a.example,b.example" {
					t.Errorf("decoded %v", p)
				}
			}},
		{"Activity", "/api/v1/instance/activity", `[{"week":"1785592262","statuses":"18","logins":"4","registrations":"2"}]`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.Activity(ctx) },
			func(t *testing.T, v any) {
				a := v.([]*Activity)
				if len(a) != 1 || a[0].Statuses != 18 || a[0].Logins != 4 || a[0].Registrations != 2 || a[0].Week.Unix() != 1785592262 {
					t.Errorf("decoded %+v", a)
				}
			}},
		{"Rules", "/api/v1/instance/rules", `[{"id":"1","text":"Be nice","hint":"really"}]`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.Rules(ctx) },
			func(t *testing.T, v any) {
				if r := v.([]*Rule); len(r) != 1 || r[0].Text != "Be nice" || r[0].Hint != "really" {
					t.Errorf("decoded %+v", r)
				}
			}},
		{"DomainBlocks", "/api/v1/instance/domain_blocks", `[{"domain":"bad.example","digest":"abc","severity":"suspend","comment":null}]`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.DomainBlocks(ctx) },
			func(t *testing.T, v any) {
				if d := v.([]*DomainBlock); len(d) != 1 || d[0].Domain != "bad.example" || d[0].Severity != "suspend" || d[0].Comment != nil {
					t.Errorf("decoded %+v", d)
				}
			}},
		{"ExtendedDescription", "/api/v1/instance/extended_description", `{"updated_at":null,"content":"<p>hi</p>"}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.ExtendedDescription(ctx) },
			func(t *testing.T, v any) {
				if d := v.(*ExtendedDescription); d.Content != "<p>hi</p>" || d.UpdatedAt != nil {
					t.Errorf("decoded %+v", d)
				}
			}},
		{"PrivacyPolicy", "/api/v1/instance/privacy_policy", `{"updated_at":"2025-01-02T03:04:05.000Z","content":"<p>policy</p>"}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.PrivacyPolicy(ctx) },
			func(t *testing.T, v any) {
				if p := v.(*PrivacyPolicy); p.Content != "<p>policy</p>" || p.UpdatedAt.Year() != 2025 {
					t.Errorf("decoded %+v", p)
				}
			}},
		{"TermsOfService", "/api/v1/instance/terms_of_service", `{"effective_date":"2025-04-15","effective":true,"content":"<p>tos</p>","succeeded_by":null}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.TermsOfService(ctx, nil) },
			func(t *testing.T, v any) {
				if p := v.(*TermsOfService); !p.Effective || p.Content != "<p>tos</p>" || p.EffectiveDate.Day() != 15 || p.SucceededBy != nil {
					t.Errorf("decoded %+v", p)
				}
			}},
		{"TermsOfServiceByDate", "/api/v1/instance/terms_of_service/2025-04-15", `{"effective_date":"2025-04-15","effective":false,"content":"old","succeeded_by":"2025-06-01"}`,
			func(ctx context.Context, c *Client) (any, error) {
				return c.Instance.TermsOfService(ctx, &TermsOfServiceOptions{Date: time.Date(2025, 4, 15, 23, 0, 0, 0, time.UTC)})
			},
			func(t *testing.T, v any) {
				if p := v.(*TermsOfService); p.Effective || p.SucceededBy == nil || p.SucceededBy.Month() != 6 {
					t.Errorf("decoded %+v", p)
				}
			}},
		{"TranslationLanguages", "/api/v1/instance/translation_languages", `{"en":["de","fr"],"de":["en"]}`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.TranslationLanguages(ctx) },
			func(t *testing.T, v any) {
				if m := v.(map[string][]string); len(m) != 2 || strings.Join(m["en"], ",") != "de,fr" {
					t.Errorf("decoded %v", m)
				}
			}},
		{"Languages", "/api/v1/instance/languages", `[{"code":"aa","name":"Afar"},{"code":"de","name":"German"}]`,
			func(ctx context.Context, c *Client) (any, error) { return c.Instance.Languages(ctx) },
			func(t *testing.T, v any) {
				if l := v.([]*SupportedLocale); len(l) != 2 || l[1].Code != "de" || l[1].Name != "German" {
					t.Errorf("decoded %+v", l)
				}
			}},
		{"CustomEmojis", "/api/v1/custom_emojis", `[{"shortcode":"blobcat","url":"https://x/b.png","static_url":"https://x/bs.png","visible_in_picker":true,"category":"blobs"}]`,
			func(ctx context.Context, c *Client) (any, error) { return c.CustomEmojis.List(ctx) },
			func(t *testing.T, v any) {
				if e := v.([]*CustomEmoji); len(e) != 1 || e[0].Shortcode != "blobcat" || !e[0].VisibleInPicker {
					t.Errorf("decoded %+v", e)
				}
			}},
	}
	runGetCases(t, cases)
}

// runGetCases checks each case sends a bare authorised GET to its path and
// decodes the answer, and that HTML, malformed JSON and error answers come
// back as typed errors.
func runGetCases(t *testing.T, cases []getCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			mode := "ok"
			mux.HandleFunc(tc.path, func(w http.ResponseWriter, r *http.Request) {
				testMethod(t, r, "GET")
				testQuery(t, r, "")
				testHeader(t, r, "Authorization", "Bearer "+testToken)
				testEmptyBody(t, r)
				switch mode {
				case "ok":
					w.Header().Set("Content-Type", "application/json")
					fmt.Fprint(w, tc.body)
				case "html":
					w.Header().Set("Content-Type", "text/html")
					fmt.Fprint(w, "<html><body>maintenance</body></html>")
				case "truncated":
					fmt.Fprint(w, tc.body[:len(tc.body)/2])
				case "404":
					w.WriteHeader(http.StatusNotFound)
					fmt.Fprint(w, `{"error":"Record not found"}`)
				case "503":
					w.WriteHeader(http.StatusServiceUnavailable)
				}
			})
			ctx := context.Background()
			v, err := tc.call(ctx, c)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, v)
			for _, m := range []string{"html", "truncated"} {
				mode = m
				if _, err := tc.call(ctx, c); !errors.Is(err, ErrDecode) {
					t.Errorf("%s answer: err = %v, want ErrDecode", m, err)
				}
			}
			mode = "404"
			var ae *APIError
			if _, err := tc.call(ctx, c); !errors.Is(err, ErrNotFound) || !errors.As(err, &ae) || ae.Code != "Record not found" {
				t.Errorf("404 answer: err = %v", err)
			}
			mode = "503"
			if _, err := tc.call(ctx, c); !errors.Is(err, ErrServiceUnavailable) {
				t.Errorf("503 answer: err = %v", err)
			}
		})
	}
}

func TestInstanceTermsOfServiceKeepsOptions(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/instance/terms_of_service/2024-12-31", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"effective_date":"2024-12-31","effective":true,"content":"x"}`)
	})
	d := time.Date(2024, 12, 31, 22, 0, 0, 0, time.FixedZone("X", -5*3600))
	o := &TermsOfServiceOptions{Date: d}
	if _, err := c.Instance.TermsOfService(context.Background(), o); err != nil {
		t.Fatal(err)
	}
	if !o.Date.Equal(d) {
		t.Errorf("options changed: %+v", o)
	}
}

func TestInstanceHealth(t *testing.T) {
	c, mux, _ := setup(t)
	up := true
	mux.HandleFunc("/health", func(w http.ResponseWriter, r *http.Request) {
		testMethod(t, r, "GET")
		testQuery(t, r, "")
		testHeader(t, r, "Authorization", "")
		if !up {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprint(w, "<html>down</html>")
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		fmt.Fprint(w, "OK")
	})
	// The version check would ask /api/v2/instance first; Health must not.
	mux.HandleFunc("/api/v2/instance", func(w http.ResponseWriter, r *http.Request) { t.Errorf("version probe") })
	if err := c.Instance.Health(context.Background()); err != nil {
		t.Fatal(err)
	}
	up = false
	if err := c.Instance.Health(context.Background()); !errors.Is(err, ErrServiceUnavailable) {
		t.Errorf("err = %v, want ErrServiceUnavailable", err)
	}
}

func TestInstanceCallLanguage(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("/api/v1/instance/rules", func(w http.ResponseWriter, r *http.Request) {
		testQuery(t, r, "lang=de")
		fmt.Fprint(w, `[{"id":"1","text":"Sei nett","hint":""}]`)
	})
	r, err := c.Instance.Rules(context.Background(), CallLanguage("de"))
	if err != nil || len(r) != 1 || r[0].Text != "Sei nett" {
		t.Fatalf("%v, %v", r, err)
	}
}
