use std::io::{Cursor, Read, Write};

use super::*;

fn zip_of(files: &[(&str, &[u8])]) -> Vec<u8> {
    zip_with(files, zip::CompressionMethod::Deflated)
}

fn zip_with(files: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        let options = zip::write::SimpleFileOptions::default().compression_method(method);
        w.start_file(*name, options).unwrap();
        w.write_all(data).unwrap();
    }
    w.finish().unwrap().into_inner()
}

fn read_all(bytes: &[u8], index: usize) -> std::io::Result<Vec<u8>> {
    let mut src = Cursor::new(bytes.to_vec());
    let archive = Archive::read(&mut src).unwrap();
    let entry = archive.entries[index].clone();
    let mut out = Vec::new();
    archive.reader(&mut src, &entry)?.read_to_end(&mut out)?;
    Ok(out)
}

#[test]
fn reads_what_the_zip_crate_writes() {
    let bytes = zip_of(&[("a.txt", b"hello"), ("dir/café.txt", &[7u8; 5000])]);
    let archive = Archive::read(&mut Cursor::new(&bytes)).unwrap();
    assert_eq!(archive.entries.len(), 2);
    assert_eq!(archive.entries[1].name, "dir/café.txt".as_bytes());
    assert!(archive.entries[1].utf8_flag());
    assert!(
        archive
            .entries
            .iter()
            .all(|e| e.local_mismatches().is_empty())
    );
    assert!(archive.overlapping().is_empty());
    assert_eq!(read_all(&bytes, 0).unwrap(), b"hello");
    assert_eq!(read_all(&bytes, 1).unwrap(), vec![7u8; 5000]);
}

#[test]
fn a_forged_end_record_in_the_comment_is_an_ambiguity() {
    let mut bytes = zip_of(&[("a.txt", b"hello")]);
    // Give the real end record a comment that holds a second, plausible one.
    let real = bytes.len() - 22;
    let fake: Vec<u8> = bytes[real..].to_vec();
    bytes.truncate(real + 20);
    bytes.extend_from_slice(&(fake.len() as u16).to_le_bytes());
    bytes.extend_from_slice(&fake);
    let err = Archive::read(&mut Cursor::new(&bytes)).unwrap_err();
    assert!(matches!(err, ZipError::SeveralEnds(2)), "{err}");
}

#[test]
fn prepended_data_moves_the_directory_and_is_refused() {
    let mut bytes = b"#!/bin/sh\nexit 0\n".to_vec();
    bytes.extend(zip_of(&[("a.txt", b"hello")]));
    let err = Archive::read(&mut Cursor::new(&bytes)).unwrap_err();
    assert!(matches!(err, ZipError::Misplaced), "{err}");
}

#[test]
fn a_crc_mismatch_and_an_overrun_are_errors() {
    let mut bytes = zip_with(&[("a.txt", b"hello")], zip::CompressionMethod::Stored);
    let at = bytes.windows(5).position(|w| w == b"hello").unwrap();
    bytes[at] = b'j';
    let err = read_all(&bytes, 0).unwrap_err();
    assert!(err.to_string().contains("CRC-32"), "{err}");
}

#[test]
fn garbage_never_panics() {
    let good = zip_of(&[("a.txt", b"hello"), ("b.txt", b"world")]);
    for cut in 0..good.len() {
        let _ = Archive::read(&mut Cursor::new(&good[..cut]));
    }
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0xff;
        if let Ok(a) = Archive::read(&mut Cursor::new(&bad)) {
            for e in &a.entries {
                let mut src = Cursor::new(bad.clone());
                if let Ok(mut r) = a.reader(&mut src, e) {
                    let _ = std::io::copy(&mut r, &mut std::io::sink());
                }
            }
        }
    }
}
