package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

func TestGoName(t *testing.T) {
	for in, want := range map[string]string{
		"id":                 "ID",
		"account_ids":        "AccountIDs",
		"ip":                 "IP",
		"ips":                "IPs",
		"url":                "URL",
		"preview_url":        "PreviewURL",
		"html":               "HTML",
		"vapid_key":          "VAPIDKey",
		"nodeinfo":           "NodeInfo",
		"AdminIpBlock":       "AdminIPBlock",
		"adminIpBlock":       "AdminIPBlock",
		"admin.sign_up":      "AdminSignUp",
		"sha256":             "SHA256",
		"ID":                 "ID",
		"identity_proof":     "IdentityProof",
		"ipsum":              "Ipsum",
		"2fa":                "N2fa",
		"@2x":                "At2x",
		"api_versions":       "APIVersions",
		"read:notifications": "ReadNotifications",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSpell(t *testing.T) {
	for in, want := range map[string]string{
		"AdminIpBlock":  "AdminIPBlock",
		"AdminIPBlock":  "AdminIPBlock",
		"InstanceVapid": "InstanceVAPID",
		"DiscoverOauth": "DiscoverOAuth",
		"Nodeinfo":      "NodeInfo",
		"NodeInfoLinks": "NodeInfoLinks",
		"V1Instance":    "V1Instance",
		"OAuthScope":    "OAuthScope",
		"Identity":      "Identity",
		"jsonApp":       "jsonApp",
		"parseHttpDate": "parseHTTPDate",
	} {
		if got := spell(in); got != want {
			t.Errorf("spell(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestModuleNamesSpelled checks every name declared in the module's Go
// files, hand-written or generated, against the initialisms table: a
// hand-written AdminIpBlock would sit as badly beside the generated
// AdminIPBlock as the other way round.
func TestModuleNamesSpelled(t *testing.T) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	n := 0
	err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		n++
		for _, id := range declared(f) {
			if s := spell(id.Name); s != id.Name {
				t.Errorf("%s: %s is spelled %s", fset.Position(id.Pos()), id.Name, s)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("read %d Go files under %s; is this the module?", n, root)
	}
}

// declared returns the names f declares: types, functions, methods,
// constants, variables, struct fields and interface methods.
func declared(f *ast.File) []*ast.Ident {
	var ids []*ast.Ident
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			ids = append(ids, n.Name)
		case *ast.TypeSpec:
			ids = append(ids, n.Name)
		case *ast.ValueSpec:
			ids = append(ids, n.Names...)
		case *ast.Field:
			ids = append(ids, n.Names...)
		}
		return true
	})
	return ids
}
