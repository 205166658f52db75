//! The PNG QR code of a TOTP enrolment (`totp.qr_code`): a real code of the
//! otpauth URI, so that a page showing it can be scanned by an authenticator
//! app. The matrix comes from the `qrcode` crate; the PNG (8-bit greyscale,
//! no filter) is written here with zlib (flate2) and CRC-32 (crc32fast).

use base64::Engine;
use std::io::Write;

/// Pixels per module: 41 modules (a version 6 code) make a 196 px image.
const SCALE: usize = 4;
/// The quiet zone around the code, in modules (ISO/IEC 18004 asks for 4).
const QUIET: usize = 4;

/// `data:image/png;base64,…` of a QR code of `text`, or None when the text
/// is too long for any QR code.
pub fn png_data_uri(text: &str) -> Option<String> {
    let (side, pixels) = render(text)?;
    let png = encode_png(side, &pixels);
    Some(format!(
        "data:image/png;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(png)
    ))
}

/// The image as rows of greyscale bytes (0 dark, 255 light), square.
fn render(text: &str) -> Option<(usize, Vec<u8>)> {
    let code =
        qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::M).ok()?;
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET) * SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != qrcode::Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
        for y in my * SCALE..(my + 1) * SCALE {
            pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
        }
    }
    Some((side, pixels))
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut crc = crc32fast::Hasher::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc.finalize().to_be_bytes());
}

fn encode_png(side: usize, pixels: &[u8]) -> Vec<u8> {
    let mut raw = Vec::with_capacity(side * (side + 1));
    for row in pixels.chunks(side) {
        raw.push(0); // Filter type None.
        raw.extend_from_slice(row);
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).expect("writing to a Vec cannot fail");
    let idat = z.finish().expect("writing to a Vec cannot fail");
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    ihdr.extend_from_slice(&(side as u32).to_be_bytes());
    // Bit depth 8, colour type 0 (greyscale), deflate, no filter, no interlace.
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    /// Decodes the PNG written above (greyscale, filter None) back to pixels.
    fn decode(png: &[u8]) -> (usize, Vec<u8>) {
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (mut at, mut side, mut idat) = (8, 0, Vec::new());
        while at < png.len() {
            let len = u32::from_be_bytes(png[at..at + 4].try_into().unwrap()) as usize;
            let kind = &png[at + 4..at + 8];
            let data = &png[at + 8..at + 8 + len];
            let crc = u32::from_be_bytes(png[at + 8 + len..at + 12 + len].try_into().unwrap());
            assert_eq!(crc, crc32fast::hash(&png[at + 4..at + 8 + len]));
            match kind {
                b"IHDR" => side = u32::from_be_bytes(data[..4].try_into().unwrap()) as usize,
                b"IDAT" => idat.extend_from_slice(data),
                _ => {}
            }
            at += 12 + len;
        }
        let mut raw = Vec::new();
        flate2::read::ZlibDecoder::new(&idat[..])
            .read_to_end(&mut raw)
            .unwrap();
        let pixels = raw
            .chunks(side + 1)
            .flat_map(|row| {
                assert_eq!(row[0], 0);
                row[1..].to_vec()
            })
            .collect();
        (side, pixels)
    }

    #[test]
    fn the_png_scans_back_to_the_uri() {
        let uri =
            "otpauth://totp/My%20Site:ada@example.com?secret=JBSWY3DPEHPK3PXP&issuer=My%20Site";
        let data = png_data_uri(uri).unwrap();
        let b64 = data.strip_prefix("data:image/png;base64,").unwrap();
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        let (side, pixels) = decode(&png);
        assert!(side > 100, "{side}");
        let mut img =
            rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| pixels[y * side + x]);
        let grids = img.detect_grids();
        assert_eq!(grids.len(), 1);
        let (_, content) = grids[0].decode().unwrap();
        assert_eq!(content, uri);
    }

    #[test]
    fn text_too_long_for_a_qr_code_has_none() {
        assert!(png_data_uri(&"x".repeat(5000)).is_none());
    }
}
