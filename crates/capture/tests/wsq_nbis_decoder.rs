//! WSQ decoder conformance against NIST's NBIS (5.0, PyPI `wsq`, driven at test time by
//! `tools/wsq_reference.py` from `<workspace>/.venv`): within ±1 grey level of NBIS's own
//! decode on ≥ 99.9 % of pixels for NBIS-encoded files and the seven third-party files of
//! `testdata/wsq`; and NBIS decodes Huella's files.

mod wsq_support;

use capture::wsq;
use std::path::Path;
use wsq_support::*;

fn check_decoder(files: &[(String, Vec<u8>)], tag: &str) {
    let bytes: Vec<Vec<u8>> = files.iter().map(|(_, f)| f.clone()).collect();
    let nbis = nbis_decode(&bytes, tag);
    for ((name, file), (w, h, ppi, px)) in files.iter().zip(&nbis) {
        let ours = wsq::decode(file).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((ours.width, ours.height), (*w, *h), "{name}");
        assert_eq!(ours.ppi, *ppi, "{name}: ppi");
        let (share, max) = agreement(&ours.pixels, px);
        let exact = ours.pixels.iter().zip(px).filter(|(a, b)| a == b).count();
        eprintln!(
            "{name}: {exact}/{} pixels equal to NBIS's decode, {:.4} % within ±1, max diff {max}",
            px.len(),
            share * 100.0
        );
        assert!(
            share >= 0.999,
            "{name}: only {:.4} % of pixels within ±1 of NBIS (max diff {max})",
            share * 100.0
        );
    }
}

#[test]
fn decoder_agrees_with_nbis_on_third_party_files() {
    let dir = Path::new(TESTDATA).join("wsq");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    assert_eq!(files.len(), 7);
    check_decoder(&files, "third-party");
}

#[test]
fn decoder_agrees_with_nbis_on_nbis_files() {
    let mut images = sample_prints();
    images.extend(synthetic_images());
    for r in [0.75, 2.25] {
        let files: Vec<(String, Vec<u8>)> = images
            .iter()
            .zip(nbis_encode(&images, r))
            .map(|(g, f)| (format!("{} @ {r}", g.name), f))
            .collect();
        check_decoder(&files, &format!("nbis{r}"));
    }
}

#[test]
fn nbis_decodes_huella_files() {
    let images = synthetic_images();
    let files: Vec<Vec<u8>> = images
        .iter()
        .map(|g| wsq::encode(&g.px, g.w, g.h, 321, 1.5).unwrap())
        .collect();
    let nbis = nbis_decode(&files, "interop");
    for ((g, f), (w, h, ppi, px)) in images.iter().zip(&files).zip(&nbis) {
        assert_eq!((g.w, g.h, 321), (*w, *h, *ppi), "{}", g.name);
        let ours = wsq::decode(f).unwrap();
        let (share, max) = agreement(&ours.pixels, px);
        assert!(share >= 0.999, "{}: {share} within ±1 (max {max})", g.name);
    }
}
