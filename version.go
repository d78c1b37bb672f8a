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
		return Version{}, fmt.Errorf("unrecognised version %q", sanitizeForError(raw))
	}
	v := Version{Raw: raw, Pre: m[4], Build: m[5]}
	var err error
	for i, dst := range []*int{&v.Major, &v.Minor, &v.Patch} {
		if m[i+1] == "" {
			continue
		}
		if *dst, err = strconv.Atoi(m[i+1]); err != nil || *dst > 1<<20 {
			return Version{}, fmt.Errorf("unrecognised version %q", sanitizeForError(raw))
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
	// Version is the version the instance endpoints report, parsed: for
	// forks that say "2.7.2 (compatible; Pleroma 2.0.50)" this is 2.7.2,
	// for GoToSocial its own 0.x. Compare API, not Version, with Mastodon
	// releases.
	Version Version
	Family  Family
	// SoftwareVersion is the fork's own version when it differs
	// (Pleroma's 2.0.50), else empty.
	SoftwareVersion string
	// APIVersions is /api/v2/instance's api_versions (Mastodon 4.3+).
	APIVersions map[string]int
	// API is the Mastodon API level the server implements, the version
	// every gate and fallback compares with (see MastodonAPI); zero when
	// nothing is known.
	API Version
	// APIExact says API is the server's own Mastodon version (Mastodon,
	// glitch-soc, Hometown, Fedibird), so endpoints newer than it are
	// missing. Otherwise API is a floor: endpoints up to it are served,
	// newer ones may be, and Tusk lets the server answer.
	APIExact bool
}

// apiVersionLevels maps api_versions.mastodon to the Mastodon release that
// introduced that number; a number between two entries gets the lower one.
var apiVersionLevels = []struct {
	n int
	v Version
}{{1, MustParseVersion("4.3.0")}, {6, MustParseVersion("4.4.0")}, {7, MustParseVersion("4.5.0")}}

// familyAPIFloor is the Mastodon API level a family is known to implement
// whatever its own version number says: GoToSocial 0.x serves the v2
// search, media, filters and instance endpoints of Mastodon 4.0.
var familyAPIFloor = map[Family]Version{
	FamilyGoToSocial: MustParseVersion("4.0.0"),
}

// mastodonAPI works out the Mastodon API level: a Mastodon-based family's
// own version is exact; other families get the larger of the level
// api_versions names, their family's floor and the compatibility version
// they claim ("2.7.2 (compatible; Pleroma …)"), as a floor. A bare version
// of another family (GoToSocial's 0.x) is never read as a Mastodon version.
func (s *ServerInfo) mastodonAPI(compatClaim bool) {
	switch s.Family {
	case FamilyMastodon, FamilyGlitch, FamilyHometown, FamilyFedibird:
		s.API, s.APIExact = s.Version, true
		return
	}
	s.API, s.APIExact = Version{}, false
	if compatClaim {
		s.API = s.Version
	}
	if n := s.APIVersions["mastodon"]; n > 0 {
		for _, l := range apiVersionLevels {
			if n >= l.n && l.v.Compare(s.API) > 0 {
				s.API = l.v
			}
		}
	}
	if f, ok := familyAPIFloor[s.Family]; ok && f.Compare(s.API) > 0 {
		s.API = f
	}
	s.API.Raw = ""
}

// MastodonAPI returns the Mastodon API level the server implements and
// whether it is exact (see ServerInfo.API and APIExact).
func (s *ServerInfo) MastodonAPI() (Version, bool) { return s.API, s.APIExact }

// newServerInfo builds a ServerInfo from the instance's version string,
// api_versions and nodeinfo's software name ("" when unknown).
func newServerInfo(version string, apiVersions map[string]int, software string) *ServerInfo {
	v, _ := ParseVersion(version)
	fam, sv := DetectFamily(version, software)
	if fam == FamilyMastodon && v.Major == 0 && len(apiVersions) == 0 {
		// No Mastodon release a client meets is 0.x: this is another
		// family's own version number, not a Mastodon API level.
		fam, sv = FamilyUnknown, version
	}
	s := &ServerInfo{Version: v, Family: fam, SoftwareVersion: sv, APIVersions: apiVersions}
	s.mastodonAPI(compatRe.MatchString(version))
	return s
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
		return c.storeServer(newServerInfo(c.cfg.versionHint, nil, "")), nil
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
	if _, err := ParseVersion(inst.Version); err != nil {
		// The message quotes the version: a server may have echoed a
		// secret of the request into it.
		return nil, &DecodeError{Method: "GET", URL: "/api/v2/instance", StatusCode: 200,
			Err: errors.New(redactSecrets(err.Error(), resp.secretList()...))}
	}
	info := newServerInfo(inst.Version, inst.APIVersions, "")
	if (info.Family == FamilyMastodon || info.Family == FamilyUnknown) && len(inst.APIVersions) == 0 {
		// No "(compatible; …)" and no api_versions: ask nodeinfo, which
		// names GoToSocial, Misskey forks and friends.
		if sw := c.nodeinfoSoftware(ctx); sw != "" {
			info = newServerInfo(inst.Version, inst.APIVersions, sw)
			if info.Family != FamilyMastodon && info.SoftwareVersion == "" {
				info.SoftwareVersion = inst.Version
			}
		}
	}
	return c.storeServer(info), nil
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
	if !info.APIExact {
		// Other families' API level is a floor: they may serve newer
		// endpoints, so let the server answer.
		return nil
	}
	if !info.API.AtLeast(nv) {
		return &VersionError{Endpoint: endpoint, Need: nv, Have: info.API}
	}
	return nil
}

func (c *Client) apiBelow(v Version) bool {
	s := c.knownServer()
	return s != nil && s.APIExact && !s.API.AtLeast(v)
}

// knownServer returns what is known about the server without asking it:
// detected earlier, or given with WithServerVersion.
func (c *Client) knownServer() *ServerInfo {
	if s := c.cachedServer(); s != nil {
		return s
	}
	if c.cfg.versionHint != "" {
		return newServerInfo(c.cfg.versionHint, nil, "")
	}
	return nil
}

// VerifyMinimumVersion reports whether the server implements at least
// Mastodon API level v (ServerInfo.API), detecting it if needed
// (Mastodon.py's verify_minimum_version, which compares the raw version;
// Tusk never compares another family's own version number with Mastodon's).
func (c *Client) VerifyMinimumVersion(ctx context.Context, v string) (bool, error) {
	need, err := ParseVersion(v)
	if err != nil {
		return false, illegalArg(err.Error())
	}
	info, err := c.ServerInfo(ctx)
	if err != nil {
		return false, err
	}
	return info.API.AtLeast(need), nil
}
