package mastodon

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestEntityGetters(t *testing.T) {
	var nilStatus *Status
	if nilStatus.GetInReplyToID() != "" || nilStatus.GetPoll() != nil || nilStatus.GetPoll().GetExpiresAt() != (time.Time{}) ||
		nilStatus.GetFavourited() || nilStatus.GetQuotesCount() != 0 || nilStatus.GetReblog().GetReblog() != nil {
		t.Error("getters on a nil *Status must return zero values")
	}
	var st Status
	if err := json.Unmarshal([]byte(`{"id":"1","in_reply_to_id":"7","favourited":true,"quotes_count":3,
		"poll":{"id":"p","expires_at":"2026-01-02T03:04:05.000Z","voted":null},"edited_at":null,"language":null}`), &st); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if st.GetInReplyToID() != "7" || !st.GetFavourited() || st.GetQuotesCount() != 3 || !st.GetPoll().GetExpiresAt().Equal(want) {
		t.Errorf("getters read %q %v %d %v", st.GetInReplyToID(), st.GetFavourited(), st.GetQuotesCount(), st.GetPoll().GetExpiresAt())
	}
	if st.GetPoll() != st.Poll {
		t.Error("GetPoll must return the field itself")
	}
	// Sent as null, left out: both read as the zero value.
	if st.GetPoll().GetVoted() || st.GetLanguage() != "" || !st.GetEditedAt().IsZero() || st.GetPinned() {
		t.Error("null and missing fields must read as zero values")
	}
	var m MediaAttachment
	if err := json.Unmarshal([]byte(`{"id":"m","type":"image","url":"https://files.example/a.png","description":null}`), &m); err != nil {
		t.Fatal(err)
	}
	if m.GetURL() != "https://files.example/a.png" || m.GetDescription() != "" || m.GetMeta().GetFocus() != nil {
		t.Errorf("MediaAttachment getters: %q %q", m.GetURL(), m.GetDescription())
	}
	var rel *Relationship
	if !rel.GetMutingExpiresAt().IsZero() {
		t.Error("nil *Relationship")
	}
}

func TestEntityString(t *testing.T) {
	var m MediaAttachment
	if err := json.Unmarshal([]byte(`{"id":"m","type":"image","url":"https://files.example/a.png","description":null,
		"meta":{"focus":{"x":0.5,"y":-0.25}}}`), &m); err != nil {
		t.Fatal(err)
	}
	got := m.String()
	for _, want := range []string{`mastodon.MediaAttachment{`, `ID:"m"`, `Type:"image"`, `URL:"https://files.example/a.png"`, `Focus:mastodon.MediaAttachmentFocusPoint{X:0.5, Y:-0.25}`} {
		if !strings.Contains(got, want) {
			t.Errorf("String() = %s\nwant it to contain %s", got, want)
		}
	}
	if strings.Contains(got, "0x") || strings.Contains(got, "Description") || strings.Contains(got, "Blurhash") {
		t.Errorf("String() shows an address or a nil field: %s", got)
	}
	// fmt uses it, also for entities inside slices.
	if s := fmt.Sprint(&m); s != got {
		t.Errorf("fmt.Sprint = %s, want String()", s)
	}
	if s := fmt.Sprint([]*MediaAttachment{&m}); s != "["+got+"]" {
		t.Errorf("fmt.Sprint of a slice = %s", s)
	}

	st := &Status{ID: "1", CreatedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Account: Account{Acct: "alice"}, Tags: []StatusTag{{Name: "go"}}}
	s := st.String()
	for _, want := range []string{`ID:"1"`, `CreatedAt:2026-01-02T03:04:05Z`, `Account:mastodon.Account{`, `Acct:"alice"`, `Tags:[mastodon.StatusTag{`, `Name:"go"`} {
		if !strings.Contains(s, want) {
			t.Errorf("Status.String() = %s\nwant it to contain %s", s, want)
		}
	}
	var nilStatus *Status
	if nilStatus.String() != "<nil>" {
		t.Errorf("nil: %q", nilStatus.String())
	}
	// A status built by hand that boosts itself is cut off, not followed forever.
	st.Reblog = st
	if s := st.String(); !strings.Contains(s, "…") || len(s) > 1<<20 {
		t.Errorf("self-reference: %d bytes", len(s))
	}

	posted := &PostedStatus{Status: &Status{ID: "5"}}
	if s := posted.String(); !strings.HasPrefix(s, "mastodon.Status{") || !strings.Contains(s, `ID:"5"`) {
		t.Errorf("PostedStatus: %s", s)
	}
	sched := &PostedStatus{Scheduled: &ScheduledStatus{ID: "9"}}
	if s := sched.String(); !strings.HasPrefix(s, "mastodon.ScheduledStatus{") {
		t.Errorf("scheduled PostedStatus: %s", s)
	}
	g := &GroupedNotification{NotificationGroup: &NotificationGroup{GroupKey: "k"}, Status: &Status{ID: "3"}}
	if s := g.String(); !strings.Contains(s, `GroupKey:"k"`) || !strings.Contains(s, `Status:mastodon.Status{ID:"3"`) {
		t.Errorf("GroupedNotification: %s", s)
	}
}

// TestEntityStringRedacts: tokens and client secrets never reach String
// (and so fmt and log output).
func TestEntityStringRedacts(t *testing.T) {
	const secret = "s3cr3t-value-for-the-test"
	tok := &Token{AccessToken: secret, Scope: "read"}
	app := &CredentialApplication{Application: Application{Name: "bot"}, ClientID: "id", ClientSecret: secret}
	for _, s := range []string{tok.String(), app.String(), fmt.Sprint(tok), fmt.Sprint([]*CredentialApplication{app})} {
		if strings.Contains(s, secret) {
			t.Errorf("secret printed: %s", s)
		}
		if !strings.Contains(s, `"[redacted]"`) {
			t.Errorf("no redaction mark: %s", s)
		}
	}
	if s := app.String(); !strings.Contains(s, `Name:"bot"`) || !strings.Contains(s, `ClientID:"id"`) {
		t.Errorf("CredentialApplication: %s", s)
	}
}

// TestEntityAccessorsComplete reads the generated files: every struct
// entity has String (or one written by hand), and every pointer field an
// accessor returning its element type (a struct pointer as is).
func TestEntityAccessorsComplete(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("entities_*.go")
	if err != nil {
		t.Fatal(err)
	}
	fields := map[string]map[string]string{}  // type → pointer field → element type
	methods := map[string]map[string]string{} // type → method → result type
	enums := map[string]bool{}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					ts, ok := sp.(*ast.TypeSpec)
					if !ok {
						continue
					}
					if id, ok := ts.Type.(*ast.Ident); ok && id.Name == "string" {
						enums[ts.Name.Name] = true
					}
					st, ok := ts.Type.(*ast.StructType)
					if !ok || !hasWire(st) {
						continue
					}
					fm := map[string]string{}
					for _, fl := range st.Fields.List {
						star, ok := fl.Type.(*ast.StarExpr)
						if !ok || len(fl.Names) == 0 {
							continue
						}
						el := exprString(star.X)
						for _, n := range fl.Names {
							fm[n.Name] = el
						}
					}
					fields[ts.Name.Name] = fm
				}
			case *ast.FuncDecl:
				if d.Recv == nil || len(d.Recv.List) != 1 || d.Type.Results == nil || len(d.Type.Results.List) != 1 {
					continue
				}
				recv := exprString(d.Recv.List[0].Type)
				recv = strings.TrimPrefix(recv, "*")
				if methods[recv] == nil {
					methods[recv] = map[string]string{}
				}
				methods[recv][d.Name.Name] = exprString(d.Type.Results.List[0].Type)
			}
		}
	}
	if len(fields) < 150 {
		t.Fatalf("found %d entity structs; the generated files moved?", len(fields))
	}
	for typ, fm := range fields {
		if methods[typ]["String"] == "" && typ != "PushNotification" {
			t.Errorf("%s has no String method", typ)
		}
		for fname, el := range fm {
			if !isBasic(el) && el != "time.Time" && !enums[el] {
				el = "*" + el // a struct pointer is returned as it is
			}
			if got := methods[typ]["Get"+fname]; got != el {
				t.Errorf("%s.Get%s returns %q, want %q", typ, fname, got, el)
			}
		}
	}
}

func hasWire(st *ast.StructType) bool {
	for _, fl := range st.Fields.List {
		if id, ok := fl.Type.(*ast.Ident); ok && len(fl.Names) == 0 && id.Name == "wire" {
			return true
		}
	}
	return false
}

func isBasic(s string) bool {
	switch s {
	case "string", "int", "float64", "bool":
		return true
	}
	return false
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.ArrayType:
		return "[]" + exprString(e.Elt)
	}
	return "?"
}
