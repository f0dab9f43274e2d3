//! The settings index: the client's settings for each workspace folder, resolved when they
//! change (`initialize`, `workspace/didChangeConfiguration`,
//! `workspace/didChangeWorkspaceFolders`), not on every request. A document takes the
//! settings of the innermost folder that contains it; a document outside every folder (or
//! that is not a file) takes the global ones, which are also what a folder has until the
//! client answered for it.

use std::path::{Path, PathBuf};

use tower_lsp_server::ls_types as lsp;

use crate::local::local_path;
use crate::session::Config;

#[derive(Clone, Debug)]
pub struct Folder {
    pub uri: lsp::Uri,
    pub path: PathBuf,
    /// `None`: the client has not given this folder settings of its own.
    pub config: Option<Config>,
}

#[derive(Clone, Debug, Default)]
pub struct Index {
    global: Config,
    folders: Vec<Folder>,
}

impl Index {
    /// Folders that are not local directories are left out: no document can be inside one.
    pub fn add_folders(&mut self, uris: impl IntoIterator<Item = lsp::Uri>) {
        for uri in uris {
            let Some(path) = local_path(&uri) else {
                continue;
            };
            if self.folders.iter().any(|f| f.path == path) {
                continue;
            }
            self.folders.push(Folder {
                uri,
                path,
                config: None,
            });
        }
    }

    pub fn remove_folders(&mut self, uris: &[lsp::Uri]) {
        let paths: Vec<PathBuf> = uris.iter().filter_map(local_path).collect();
        self.folders.retain(|f| !paths.contains(&f.path));
    }

    pub fn folders(&self) -> &[Folder] {
        &self.folders
    }

    /// The innermost folder containing `path` (folders may nest).
    pub fn folder_of(&self, path: &Path) -> Option<&Folder> {
        self.folders
            .iter()
            .filter(|folder| path.starts_with(&folder.path))
            .max_by_key(|folder| folder.path.components().count())
    }

    /// The settings of a document at `path` (`None`: not a file).
    pub fn config_for(&self, path: Option<&Path>) -> &Config {
        path.and_then(|path| self.folder_of(path))
            .and_then(|folder| folder.config.as_ref())
            .unwrap_or(&self.global)
    }

    pub fn global(&self) -> &Config {
        &self.global
    }

    pub fn set_global(&mut self, config: Config) {
        self.global = config;
    }

    /// Gives the folder `uri` its own settings; `false` when it is not a folder here.
    pub fn set_folder(&mut self, uri: &lsp::Uri, config: Config) -> bool {
        let Some(path) = local_path(uri) else {
            return false;
        };
        match self.folders.iter_mut().find(|f| f.path == path) {
            Some(folder) => {
                folder.config = Some(config);
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri(text: &str) -> lsp::Uri {
        text.parse().unwrap()
    }

    fn config(max_document_size: usize) -> Config {
        Config {
            max_document_size,
            ..Config::default()
        }
    }

    #[cfg(not(windows))]
    #[test]
    fn a_document_takes_the_settings_of_the_innermost_folder_that_contains_it() {
        let mut index = Index::default();
        index.set_global(config(1));
        index.add_folders([
            uri("file:///repo"),
            uri("file:///repo/services/billing"),
            uri("file:///other"),
            uri("untitled:folder"),
            uri("file:///repo"),
        ]);
        assert_eq!(index.folders().len(), 3, "{:?}", index.folders());
        assert!(index.set_folder(&uri("file:///repo"), config(2)));
        assert!(index.set_folder(&uri("file:///repo/services/billing"), config(3)));
        assert!(!index.set_folder(&uri("file:///elsewhere"), config(9)));
        let size = |path: &str| index.config_for(Some(Path::new(path))).max_document_size;
        assert_eq!(size("/repo/a.genai"), 2);
        assert_eq!(size("/repo/services/billing/b.genai"), 3);
        assert_eq!(
            size("/repo/services/billing-old/c.genai"),
            2,
            "a prefix of the name is not a parent"
        );
        assert_eq!(
            size("/other/d.genai"),
            1,
            "a folder without settings of its own"
        );
        assert_eq!(size("/tmp/e.genai"), 1, "outside every folder");
        assert_eq!(index.config_for(None).max_document_size, 1, "not a file");

        index.remove_folders(&[uri("file:///repo/services/billing")]);
        let size = |path: &str| index.config_for(Some(Path::new(path))).max_document_size;
        assert_eq!(size("/repo/services/billing/b.genai"), 2);
    }
}
