//! Building a valid zone from fields.

use std::ops::Range;

use crate::charset::{FILLER, check_digit_of};
use crate::layout::{Format, MAX_LEN, Mrz};
use crate::report::{Field, MrzFields, Sex};

/// Why fields could not be composed into a zone.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ComposeError {
    #[error("{}: character {ch:?} cannot be written in a machine-readable zone", field.as_str())]
    InvalidCharacter { field: Field, ch: char },
    #[error("{}: {len} characters do not fit in {max}", field.as_str())]
    TooLong {
        field: Field,
        len: usize,
        max: usize,
    },
    #[error("{}: must not be empty", field.as_str())]
    Empty { field: Field },
    #[error("document_code: {code:?} does not fit {format} (expected {expected})")]
    DocumentCode {
        code: String,
        format: Format,
        expected: &'static str,
    },
    #[error("optional_data_2: only TD1 has a second optional field")]
    SecondOptionalField,
}

fn write(
    buf: &mut [u8],
    range: Range<usize>,
    text: &[u8],
    field: Field,
) -> Result<(), ComposeError> {
    let max = range.len();
    if text.len() > max {
        return Err(ComposeError::TooLong {
            field,
            len: text.len(),
            max,
        });
    }
    for (slot, &b) in buf[range].iter_mut().zip(text) {
        *slot = b;
    }
    Ok(())
}

/// Upper-cases and checks that only letters, digits and (where allowed)
/// fillers remain.
fn clean(
    text: &str,
    field: Field,
    letters_only: bool,
    fillers: bool,
) -> Result<Vec<u8>, ComposeError> {
    text.trim()
        .chars()
        .map(|c| {
            let u = c.to_ascii_uppercase();
            let ok = u.is_ascii_uppercase()
                || (!letters_only && u.is_ascii_digit())
                || (fillers && u == '<');
            if ok {
                Ok(u as u8)
            } else {
                Err(ComposeError::InvalidCharacter { field, ch: c })
            }
        })
        .collect()
}

/// Name words: letters, with spaces and hyphens written as `<` and
/// apostrophes dropped (Doc 9303 Part 3). Other characters need
/// transliteration first and are refused.
fn name_words(text: &str) -> Result<Vec<Vec<u8>>, ComposeError> {
    let mut words = Vec::new();
    for word in text.split([' ', '-']).filter(|w| !w.is_empty()) {
        let mut out = Vec::with_capacity(word.len());
        for c in word.chars() {
            match c {
                '\'' | '’' => {}
                c if c.is_ascii_alphabetic() => out.push(c.to_ascii_uppercase() as u8),
                _ => {
                    return Err(ComposeError::InvalidCharacter {
                        field: Field::Name,
                        ch: c,
                    });
                }
            }
        }
        if !out.is_empty() {
            words.push(out);
        }
    }
    Ok(words)
}

fn yymmdd(date: jiff::civil::Date) -> [u8; 6] {
    let two = |n: i32| {
        let n = n.rem_euclid(100) as u8;
        [b'0' + n / 10, b'0' + n % 10]
    };
    let [y1, y2] = two(i32::from(date.year()));
    let [m1, m2] = two(i32::from(date.month()));
    let [d1, d2] = two(i32::from(date.day()));
    [y1, y2, m1, m2, d1, d2]
}

fn digit(b: Option<u8>) -> u8 {
    // The inputs are checked to be MRZ characters, so the digit always exists.
    b.map_or(FILLER, |d| b'0' + d)
}

/// Builds the zone for `fields`, computing every check digit.
///
/// Names longer than the field are truncated (the parser then warns that
/// the name may be truncated). Document numbers over nine characters are
/// written by the Doc 9303 Part 11 rule in TD1 and TD2 and refused in the
/// other formats. Unspecified sex is written `<`; an unused TD3 personal
/// number gets `<` as its check digit. Two-digit years are written as they
/// are: parse with a reference date that infers the intended century.
pub fn compose(fields: &MrzFields) -> Result<Mrz, ComposeError> {
    let format = fields.format;
    let layout = format.layout();
    let mut buf = [FILLER; MAX_LEN];
    let total = format.total_len();

    let code = clean(&fields.document_code, Field::DocumentCode, true, false)?;
    let expected: &'static str = match format {
        Format::Td3 => "P",
        Format::MrvA | Format::MrvB => "V",
        Format::Td1 | Format::Td2 => "A, C or I",
    };
    let first_ok = match (format, code.first()) {
        (_, None) => {
            return Err(ComposeError::Empty {
                field: Field::DocumentCode,
            });
        }
        (Format::Td3, Some(&b)) => b == b'P',
        (Format::MrvA | Format::MrvB, Some(&b)) => b == b'V',
        (Format::Td1 | Format::Td2, Some(&b)) => matches!(b, b'A' | b'C' | b'I'),
    };
    if !first_ok {
        return Err(ComposeError::DocumentCode {
            code: fields.document_code.clone(),
            format,
            expected,
        });
    }
    write(
        &mut buf,
        layout.doc_code.clone(),
        &code,
        Field::DocumentCode,
    )?;

    for (field, text, range) in [
        (
            Field::IssuingState,
            &fields.issuing_state,
            &layout.issuing_state,
        ),
        (Field::Nationality, &fields.nationality, &layout.nationality),
    ] {
        let code = clean(text.trim_end_matches('<'), field, true, false)?;
        if code.is_empty() {
            return Err(ComposeError::Empty { field });
        }
        write(&mut buf, range.clone(), &code, field)?;
    }

    let primary = name_words(&fields.primary_identifier)?;
    let secondary = name_words(&fields.secondary_identifiers)?;
    if primary.is_empty() && secondary.is_empty() {
        return Err(ComposeError::Empty { field: Field::Name });
    }
    let mut name = primary.join(&FILLER);
    if !secondary.is_empty() {
        name.extend_from_slice(b"<<");
        name.extend(secondary.join(&FILLER));
    }
    name.truncate(layout.name.len());
    write(&mut buf, layout.name.clone(), &name, Field::Name)?;

    let number = clean(&fields.document_number, Field::DocumentNumber, false, false)?;
    if number.is_empty() {
        return Err(ComposeError::Empty {
            field: Field::DocumentNumber,
        });
    }
    let optional = clean(
        fields.optional_data.trim_end_matches(['<', ' ']),
        Field::OptionalData,
        false,
        true,
    )?;
    let doc_len = layout.doc_number.len();
    if number.len() <= doc_len {
        write(
            &mut buf,
            layout.doc_number.clone(),
            &number,
            Field::DocumentNumber,
        )?;
        buf[layout.doc_check] = digit(check_digit_of(
            buf[layout.doc_number.clone()].iter().copied(),
        ));
        write(
            &mut buf,
            layout.optional.clone(),
            &optional,
            Field::OptionalData,
        )?;
    } else if layout.long_numbers {
        // Part 11: nine characters, `<` in the check position, the rest and
        // the whole number's check digit opening the optional field.
        let (head, rest) = number.split_at(doc_len);
        write(
            &mut buf,
            layout.doc_number.clone(),
            head,
            Field::DocumentNumber,
        )?;
        buf[layout.doc_check] = FILLER;
        let mut opt = rest.to_vec();
        opt.push(digit(check_digit_of(number.iter().copied())));
        let room = layout.optional.len();
        if opt.len() > room {
            return Err(ComposeError::TooLong {
                field: Field::DocumentNumber,
                len: number.len(),
                max: doc_len + room - 1,
            });
        }
        if !optional.is_empty() {
            opt.push(FILLER);
            opt.extend_from_slice(&optional);
        }
        if opt.len() > room {
            return Err(ComposeError::TooLong {
                field: Field::OptionalData,
                len: optional.len(),
                max: room.saturating_sub(rest.len() + 2),
            });
        }
        write(&mut buf, layout.optional.clone(), &opt, Field::OptionalData)?;
    } else {
        return Err(ComposeError::TooLong {
            field: Field::DocumentNumber,
            len: number.len(),
            max: doc_len,
        });
    }

    match &layout.optional2 {
        Some(range) => {
            let two = clean(
                fields.optional_data_2.trim_end_matches(['<', ' ']),
                Field::OptionalData,
                false,
                true,
            )?;
            write(&mut buf, range.clone(), &two, Field::OptionalData)?;
        }
        None if !fields
            .optional_data_2
            .trim_end_matches(['<', ' '])
            .is_empty() =>
        {
            return Err(ComposeError::SecondOptionalField);
        }
        None => {}
    }

    write(
        &mut buf,
        layout.birth.clone(),
        &yymmdd(fields.birth_date),
        Field::BirthDate,
    )?;
    buf[layout.birth_check] = digit(check_digit_of(buf[layout.birth.clone()].iter().copied()));
    buf[layout.sex] = match fields.sex {
        Sex::Female => b'F',
        Sex::Male => b'M',
        Sex::Unspecified => FILLER,
    };
    write(
        &mut buf,
        layout.expiry.clone(),
        &yymmdd(fields.expiry_date),
        Field::ExpiryDate,
    )?;
    buf[layout.expiry_check] = digit(check_digit_of(buf[layout.expiry.clone()].iter().copied()));

    if let Some(at) = layout.optional_check {
        let field = &buf[layout.optional.clone()];
        buf[at] = if field.iter().all(|&b| b == FILLER) {
            FILLER
        } else {
            digit(check_digit_of(field.iter().copied()))
        };
    }
    if let Some(comp) = &layout.composite {
        let all = comp
            .ranges
            .iter()
            .flat_map(|r| buf[r.clone()].iter().copied());
        buf[comp.check] = digit(check_digit_of(all));
    }

    Mrz::from_concatenated(format, &buf[..total]).ok_or(ComposeError::Empty {
        field: Field::DocumentCode,
    })
}
