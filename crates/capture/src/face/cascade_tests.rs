//! Unit tests of the cascade parser and window grouping.
#![allow(clippy::unwrap_used)]
use super::*;

static FACE: &[u8] = include_bytes!("../../data/face/face_lbp.cas");

#[test]
fn compiled_in_cascade_parses_and_damage_is_refused() {
    let c = Cascade::parse(FACE).unwrap();
    assert_eq!(
        (c.kind, c.win_w, c.win_h, c.stages.len()),
        (Kind::Lbp, 24, 24, 20)
    );
    assert_eq!(c.stages.iter().map(|s| s.weak.len()).sum::<usize>(), 139);
    assert!(Cascade::parse(&FACE[..FACE.len() - 1]).is_err());
    let mut bad = FACE.to_vec();
    bad[0] = b'X';
    assert_eq!(
        Cascade::parse(&bad).err(),
        Some(FaceError::Model("not an HCAS v1 cascade"))
    );
}

#[test]
fn grouping_needs_enough_neighbours() {
    let h = |x: f32| Hit {
        x,
        y: 10.0,
        w: 30.0,
        h: 30.0,
        neighbours: 1,
    };
    let hits = [h(10.0), h(11.0), h(12.0), h(13.0), h(200.0)];
    let g = group(&hits, 3);
    assert_eq!(g.len(), 1);
    assert_eq!(g[0].neighbours, 4);
    assert!((g[0].x - 11.5).abs() < 1e-3);
}
