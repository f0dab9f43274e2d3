//! Which documents are files on this machine. Only a `file:` URI without a host, or with
//! `localhost`, names a local path; `untitled:` buffers, `http:` documents and files on
//! another host (`file://server/share/x.genai`) have no directory: nothing is resolved
//! against the server's working directory for them, no evidence is checked on disk and no
//! document links to files are made (see `handlers::diagnostics::not_a_file`).

use std::path::PathBuf;

use tower_lsp_server::ls_types as lsp;

/// The local path of `uri`, or `None` when it is not a file of this machine. The one place
/// that decides it: the workspace folders, the documents' directories and the report's path
/// all come from here.
pub fn local_path(uri: &lsp::Uri) -> Option<PathBuf> {
    if !uri.scheme().as_str().eq_ignore_ascii_case("file") {
        return None;
    }
    if let Some(authority) = uri.authority() {
        let host = authority.host();
        let this_host = host.is_empty() || host.eq_ignore_ascii_case("localhost");
        if !this_host || authority.userinfo().is_some() || authority.port().is_some() {
            return None;
        }
    }
    let path = uri.path().decode().to_string().ok()?;
    // A NUL cannot be in a path; `%00` would otherwise reach the file system.
    if !path.starts_with('/') || path.contains('\0') {
        return None;
    }
    platform_path(&path)
}

#[cfg(not(windows))]
fn platform_path(path: &str) -> Option<PathBuf> {
    Some(PathBuf::from(path))
}

/// `/C:/x` is `C:\x`; a path without a drive is not one of this machine's.
#[cfg(windows)]
fn platform_path(path: &str) -> Option<PathBuf> {
    let rest = path.strip_prefix('/')?;
    let bytes = rest.as_bytes();
    if bytes.len() >= 2 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' {
        Some(PathBuf::from(rest.replace('/', "\\")))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn local(uri: &str) -> Option<PathBuf> {
        local_path(&uri.parse::<lsp::Uri>().expect("a URI"))
    }

    #[cfg(not(windows))]
    #[test]
    fn only_file_uris_of_this_host_are_local_paths() {
        assert_eq!(local("file:///work/x.genai"), Some("/work/x.genai".into()));
        assert_eq!(
            local("file://localhost/work/x.genai"),
            Some("/work/x.genai".into())
        );
        assert_eq!(
            local("FILE://LocalHost/w/x.genai"),
            Some("/w/x.genai".into())
        );
        assert_eq!(local("file:/work/x.genai"), Some("/work/x.genai".into()));
        assert_eq!(
            local("file:///work/with%20space/%C3%A9.genai"),
            Some("/work/with space/é.genai".into())
        );
        // Not files of this machine.
        assert_eq!(local("untitled:Untitled-1"), None);
        assert_eq!(local("untitled:/Untitled-1"), None);
        assert_eq!(local("http://host/x.genai"), None);
        assert_eq!(local("https://host/work/x.genai"), None);
        assert_eq!(local("file://otherhost/x.genai"), None);
        assert_eq!(local("file://user@localhost/x.genai"), None);
        assert_eq!(local("file://localhost:8080/x.genai"), None);
        assert_eq!(local("vscode-notebook-cell:/work/x.genai#cell1"), None);
        // Not paths at all.
        assert_eq!(local("file:x.genai"), None);
        assert_eq!(local("file:///work/%00.genai"), None);
        assert_eq!(local("file:///work/%FF.genai"), None);
    }
}
