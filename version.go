package mastodon

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// VersionCheckMode says whether calls check the server's version first.
type VersionCheckMode string

const (
	// VersionCheckNone sends every call whatever the server's version.
	VersionCheckNone VersionCheckMode = "none"
	// VersionCheckCreated fails a call with ErrVersion before sending it
	// when the server is older than the version that added the endpoint.
	VersionCheckCreated VersionCheckMode = "created"
	// VersionCheckChanged is stricter: the server must be at least the
	// version that last changed the endpoint.
	VersionCheckChanged VersionCheckMode = "changed"
)

// Version is a server version, compared by Major.Minor.Patch.
type Version struct {
	Major, Minor, Patch int
	Pre                 string // "rc.1" in 4.5.0-rc.1
	Build               string // "glitch" in 4.2.8+glitch
	Raw                 string // the string as the server sent it
}

// String renders Major.Minor.Patch with any pre-release tag.
func (v Version) String() string {
	s := fmt.Sprintf("%d.%d.%d", v.Major, v.Minor, v.Patch)
	if v.Pre != "" {
		s += "-" + v.Pre
	}
	return s
}

// Compare returns -1, 0 or 1. A pre-release sorts before its release.
func (v Version) Compare(o Version) int {
	for _, d := range [][2]int{{v.Major, o.Major}, {v.Minor, o.Minor}, {v.Patch, o.Patch}} {
		if d[0] != d[1] {
			if d[0] < d[1] {
				return -1
			}
			return 1
		}
	}
	switch {
	case v.Pre == o.Pre:
		return 0
	case v.Pre == "":
		return 1
	case o.Pre == "":
		return -1
	case v.Pre < o.Pre:
		return -1
	}
	return 1
}

// AtLeast reports v >= o (a pre-release of o counts as o, as Mastodon.py
// does, so 4.5.0-rc.1 may use 4.5.0 endpoints).
func (v Version) AtLeast(o Version) bool {
	w := v
	w.Pre = ""
	p := o
	p.Pre = ""
	return w.Compare(p) >= 0
}

var versionRe = regexp.MustCompile(`^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.\-]+))?(?:\+(\S+))?`)

// ParseVersion reads a version string as servers send it: "4.3.0",
// "4.5.0-rc.1", "4.2.8+glitch", "4.0.2+hometown-1.1.1",
// "2.7.2 (compatible; Pleroma 2.0.50)", "0.17.3+git-abc123".
func ParseVersion(s string) (Version, error) {
	raw := s
	s = strings.TrimSpace(s)
	m := versionRe.FindStringSubmatch(s)
	if m == nil {
		return Version{}, observe(fmt.Errorf("unrecognised version %q", sanitizeForError(raw)))
	}
	v := Version{Raw: raw, Pre: m[4], Build: m[5]}
	var err error
	for i, dst := range []*int{&v.Major, &v.Minor, &v.Patch} {
		if m[i+1] == "" {
			continue
		}
		if *dst, err = strconv.Atoi(m[i+1]); err != nil || *dst > 1<<20 {
			return Version{}, observe(fmt.Errorf("unrecognised version %q", sanitizeForError(raw)))
		}
	}
	return v, nil
}

// MustParseVersion is ParseVersion for constants; it panics on a bad one.
func MustParseVersion(s string) Version {
	v, err := ParseVersion(s)
	if err != nil {
		panic(err)
	}
	return v
}

// Family is a server software family.
type Family string

// Server families the client recognises.
const (
	FamilyMastodon   Family = "mastodon"
	FamilyGlitch     Family = "glitch"
	FamilyHometown   Family = "hometown"
	FamilyFedibird   Family = "fedibird"
	FamilyPleroma    Family = "pleroma"
	FamilyAkkoma     Family = "akkoma"
	FamilyGoToSocial Family = "gotosocial"
	FamilyFirefish   Family = "firefish"
	FamilySharkey    Family = "sharkey"
	FamilyMisskey    Family = "misskey"
	FamilyIceshrimp  Family = "iceshrimp"
	FamilyUnknown    Family = "unknown"
)

// ServerInfo is what the client learned about the server's software.
type ServerInfo struct {
	// Version is the Mastodon API version the server claims (for forks
	// that say "2.7.2 (compatible; Pleroma 2.0.50)" this is 2.7.2).
	Version Version
	Family  Family
	// SoftwareVersion is the fork's own version when it differs
	// (Pleroma's 2.0.50), else empty.
	SoftwareVersion string
	// APIVersions is /api/v2/instance's api_versions (Mastodon 4.3+).
	APIVersions map[string]int
}

var compatRe = regexp.MustCompile(`\(compatible;\s*([A-Za-z][\w.\-]*)\s+([^)\s]+)\)`)

// DetectFamily guesses the family from a version string alone; software is
// nodeinfo's software name when known ("" otherwise).
func DetectFamily(version, software string) (Family, string) {
	lv := strings.ToLower(version)
	if m := compatRe.FindStringSubmatch(version); m != nil {
		return familyOf(m[1]), m[2]
	}
	if f := familyOf(software); f != FamilyUnknown && f != FamilyMastodon {
		return f, ""
	}
	switch {
	case strings.Contains(lv, "glitch"):
		return FamilyGlitch, ""
	case strings.Contains(lv, "hometown"):
		if _, after, ok := strings.Cut(lv, "hometown-"); ok {
			return FamilyHometown, after
		}
		return FamilyHometown, ""
	case strings.Contains(lv, "fedibird"):
		return FamilyFedibird, ""
	case strings.Contains(lv, "+git-") || strings.Contains(lv, "gotosocial"):
		return FamilyGoToSocial, ""
	}
	if software != "" {
		return familyOf(software), ""
	}
	return FamilyMastodon, ""
}

func familyOf(name string) Family {
	switch n := strings.ToLower(strings.TrimSpace(name)); n {
	case "mastodon":
		return FamilyMastodon
	case "pleroma":
		return FamilyPleroma
	case "akkoma":
		return FamilyAkkoma
	case "gotosocial":
		return FamilyGoToSocial
	case "firefish", "calckey":
		return FamilyFirefish
	case "sharkey":
		return FamilySharkey
	case "misskey":
		return FamilyMisskey
	case "iceshrimp", "iceshrimp.net":
		return FamilyIceshrimp
	case "hometown":
		return FamilyHometown
	case "fedibird":
		return FamilyFedibird
	case "glitch", "glitch-soc":
		return FamilyGlitch
	}
	return FamilyUnknown
}

// ServerInfo returns the server's version and family, detecting them on
// first use (from /api/v2/instance, falling back to /api/v1/instance, with
// nodeinfo naming forks) and caching the answer until ClearCaches.
func (c *Client) ServerInfo(ctx context.Context) (*ServerInfo, error) {
	if s := c.cachedServer(); s != nil {
		return s, nil
	}
	if c.cfg.versionHint != "" {
		v, _ := ParseVersion(c.cfg.versionHint)
		fam, sv := DetectFamily(c.cfg.versionHint, "")
		return c.storeServer(&ServerInfo{Version: v, Family: fam, SoftwareVersion: sv}), nil
	}
	var inst struct {
		Version     string         `json:"version"`
		APIVersions map[string]int `json:"api_versions"`
	}
	r := req{Method: http.MethodGet, Path: "/api/v2/instance", NoVersionCheck: true}
	o := &callOptions{}
	resp, data, err := c.exec(ctx, &r, o)
	if err == nil {
		err = decodeBody(r.Method, resp.redactedURL, resp, data, &inst)
	}
	if err != nil {
		if !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrDecode) && !errors.Is(err, ErrAPI) {
			return nil, err
		}
		r = req{Method: http.MethodGet, Path: "/api/v1/instance", NoVersionCheck: true}
		resp, data, err = c.exec(ctx, &r, o)
		if err == nil {
			err = decodeBody(r.Method, resp.redactedURL, resp, data, &inst)
		}
		if err != nil {
			return nil, err
		}
	}
	v, err := ParseVersion(inst.Version)
	if err != nil {
		return nil, observe(&DecodeError{Method: "GET", URL: "/api/v2/instance", StatusCode: 200, Err: err})
	}
	software := ""
	fam, sv := DetectFamily(inst.Version, "")
	if fam == FamilyMastodon && len(inst.APIVersions) == 0 {
		// No "(compatible; …)" and no api_versions: ask nodeinfo, which
		// names GoToSocial, Misskey forks and friends.
		software = c.nodeinfoSoftware(ctx)
		fam, sv = DetectFamily(inst.Version, software)
	}
	return c.storeServer(&ServerInfo{Version: v, Family: fam, SoftwareVersion: sv, APIVersions: inst.APIVersions}), nil
}

func (c *Client) storeServer(s *ServerInfo) *ServerInfo {
	c.verMu.Lock()
	defer c.verMu.Unlock()
	if c.server == nil {
		c.server = s
	}
	return c.server
}

// nodeinfoSoftware returns nodeinfo's software.name, or "" when it cannot
// be had. Instance.NodeInfo follows only links on the client's own server.
func (c *Client) nodeinfoSoftware(ctx context.Context) string {
	ni, err := c.Instance.NodeInfo(ctx)
	if err != nil {
		return ""
	}
	return ni.Software.Name
}

// checkVersion fails an endpoint the server is too old for, as the version
// check mode says. It detects the version on first use.
func (c *Client) checkVersion(ctx context.Context, endpoint string) error {
	if c.cfg.versionCheck == VersionCheckNone {
		return nil
	}
	method, path, _ := strings.Cut(endpoint, " ")
	ev, ok := endpointVersionFor(method, path) // a template, or a concrete path (Do)
	if !ok {
		return nil
	}
	need := ev.Since
	if c.cfg.versionCheck == VersionCheckChanged && ev.Changed != "" {
		need = ev.Changed
	}
	if need == "" {
		return nil
	}
	nv, err := ParseVersion(need)
	if err != nil {
		return nil
	}
	info, err := c.ServerInfo(ctx)
	if err != nil {
		return err
	}
	if info.Family != FamilyMastodon && info.Family != FamilyGlitch && info.Family != FamilyHometown {
		// Forks report a compatibility version that says little about
		// which endpoints they serve; let the server answer.
		return nil
	}
	if !info.Version.AtLeast(nv) {
		return &VersionError{Endpoint: endpoint, Need: nv, Have: info.Version}
	}
	return nil
}

// VerifyMinimumVersion reports whether the server is at least version v,
// detecting the version if needed (Mastodon.py's verify_minimum_version).
func (c *Client) VerifyMinimumVersion(ctx context.Context, v string) (bool, error) {
	need, err := ParseVersion(v)
	if err != nil {
		return false, illegalArg(err.Error())
	}
	info, err := c.ServerInfo(ctx)
	if err != nil {
		return false, err
	}
	return info.Version.AtLeast(need), nil
}
