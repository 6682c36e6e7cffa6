//! Fusion model coefficients, written by `tools/finger_train_fusion.py`: do not edit by hand.
//!
//! A perceptron with 6 tanh hidden units and a sigmoid output (× 100), fitted to NFIQ 2
//! scores of the graded set.
//!
//! Spearman rho vs NFIQ 2: train 0.926, held-out prints 0.749 (p1_3, p2_2, nist_card0003_07,
//! nist_card0005_07, nist_card0002_01), all 0.873 (335 images); max background score 5.
#![allow(clippy::excessive_precision)]

/// Number of fusion inputs.
pub(crate) const INPUTS: usize = 19;
/// Number of hidden units.
pub(crate) const HIDDEN: usize = 6;
/// Names of the fusion inputs, in [`super::fusion_inputs`] order.
pub const INPUT_NAMES: [&str; INPUTS] = [
    "ln_usable_area",
    "usable_fraction",
    "foreground_fraction",
    "ocl",
    "ocl_sd",
    "coherence",
    "orientation_flow",
    "lcs",
    "lcs_sd",
    "fda",
    "fda_sd",
    "abs_ln_rvu",
    "rvu_sd",
    "period_dev",
    "ln_minutiae",
    "ln_minutiae_central",
    "minutiae_quality",
    "mean_gray",
    "contrast",
];
pub(crate) const MEAN: [f32; INPUTS] = [
    5.19929, 0.795478, 0.632163, 0.628507, 0.145492, 0.499548, 0.128147, 0.624271, 0.187471,
    0.351943, 0.082357, 0.253905, 0.384391, 1.87284, 4.46859, 3.45076, 0.613664, 0.557449,
    0.280455,
];
pub(crate) const SCALE: [f32; INPUTS] = [
    1.45616, 0.262722, 0.29802, 0.187564, 0.056232, 0.173667, 0.0763353, 0.208375, 0.0936753,
    0.0836949, 0.025196, 0.553787, 0.261515, 2.57304, 1.37734, 1.07682, 0.200983, 0.225158,
    0.172387,
];
pub(crate) const W1: [[f32; INPUTS]; HIDDEN] = [
    [
        -0.428865, -0.445279, -0.0766386, -0.383781, -0.0809665, -0.415897, 0.22155, -0.135138,
        -0.34513, -0.446576, 0.103259, -0.175915, -0.111199, 0.21389, -0.338015, -0.0452804,
        -0.339245, -0.32741, 0.217238,
    ],
    [
        0.319244, 0.138671, 0.239632, 0.0328958, 0.25365, 0.116026, 0.0554414, -0.0335764,
        0.164127, 0.426863, 0.323486, -0.0287642, -0.139535, -0.193569, 0.247356, 0.0149199,
        0.136205, -0.402642, 0.126914,
    ],
    [
        -0.0908495,
        -0.29484,
        0.117088,
        -0.146735,
        0.0490793,
        -0.154918,
        0.038874,
        -0.132645,
        0.0989086,
        -0.221289,
        0.0251887,
        0.077131,
        -0.0968903,
        0.273721,
        -0.00584678,
        -0.220193,
        -0.262268,
        0.0706307,
        0.196351,
    ],
    [
        0.302106, 0.107684, 0.204904, -0.397965, -0.201333, -0.402122, 0.103917, -0.19965,
        0.0181412, 0.0835234, -0.398912, 0.0873112, -0.103219, -0.206448, 0.132654, 0.170163,
        0.0724662, 0.498782, 0.185359,
    ],
    [
        -0.114528, 0.109427, 0.131658, -0.208382, 0.106333, -0.273062, 0.195602, -0.139639,
        0.0293439, 0.0687327, -0.0781707, -0.30189, -0.379971, -0.327364, -0.0189818, 0.298106,
        0.269432, -0.50218, 1.4412,
    ],
    [
        0.338175, -0.0720981, 0.376429, 0.0627651, 0.280097, -0.0263426, -0.14409, 0.194166,
        -0.299093, -0.158591, -0.0448207, 0.0671332, 0.130387, 0.0858835, 0.682503, 0.204068,
        -0.0990858, 0.00873316, -0.215731,
    ],
];
pub(crate) const B1: [f32; HIDDEN] = [0.744807, -0.0771732, 1.04967, -0.635882, 1.95952, -1.04195];
pub(crate) const W2: [f32; HIDDEN] = [-1.17246, 0.840158, -0.618178, 1.00829, 1.59102, -0.953662];
pub(crate) const B2: f32 = -1.67509;
/// Source prints whose graded variants trained the model (the background images did too).
pub const TRAINED_ON: &[&str] = &[
    "nist_card0001_01",
    "nist_card0001_03",
    "nist_card0003_05",
    "nist_card0004_02",
    "p1_1",
    "p1_2",
    "p2_1",
    "p2_3",
];
