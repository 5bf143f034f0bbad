//! A client of SphinxQL, the MySQL wire protocol that Sphinx's `searchd` speaks (a `listen = …:mysql41`
//! port): the handshake, text queries (`COM_QUERY`), and their answers (OK, error, or a result set whose
//! values are all text).
//!
//! Only what searchd uses is implemented: searchd checks no password, has no prepared statements and no
//! TLS, and sends every value as text. Each packet is a 3-byte little-endian length, a sequence number and
//! the payload; a payload of 16 MiB - 1 or more continues in the next packet.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

/// The largest payload of one packet; a longer one is continued in the next.
const MAX_PAYLOAD: usize = 0xff_ffff;
/// Capabilities this client asks for: 4.1 protocol, 4.1 authentication, long passwords.
const CLIENT_CAPABILITIES: u32 = 0x0000_0200 | 0x0000_8000 | 0x0000_0001;
/// utf8_general_ci.
const CHARSET_UTF8: u8 = 33;
const COM_QUERY: u8 = 0x03;

/// Why a SphinxQL exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum SqlError {
    #[error("cannot connect to searchd at {addr}")]
    Connect {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("searchd at {addr}: connection failed")]
    Io {
        addr: String,
        #[source]
        source: std::io::Error,
    },
    #[error("searchd at {addr} answered error {code}: {message}")]
    Server { addr: String, code: u16, message: String },
    #[error("searchd at {addr} sent a malformed packet: {what}")]
    Protocol { addr: String, what: &'static str },
}

/// The answer to one statement.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Answer {
    /// Column names (empty for a statement that returns no rows).
    pub columns: Vec<String>,
    /// Each row's values as text (`None` for NULL).
    pub rows: Vec<Vec<Option<String>>>,
    /// Rows written, for REPLACE, INSERT and DELETE.
    pub affected: u64,
}

impl Answer {
    /// The position of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.eq_ignore_ascii_case(name))
    }
}

/// One open connection to a searchd's SphinxQL port.
pub struct Connection {
    stream: TcpStream,
    addr: String,
    sequence: u8,
}

impl Connection {
    /// Connects to `addr` ("host:port") and completes the handshake; `timeout` bounds the connection and
    /// every read and write after it.
    pub fn open(addr: &str, timeout: Duration) -> Result<Connection, SqlError> {
        let connect_err = |source| SqlError::Connect { addr: addr.to_owned(), source };
        let resolved: Vec<SocketAddr> = addr.to_socket_addrs().map_err(connect_err)?.collect();
        let mut last = std::io::Error::new(std::io::ErrorKind::NotFound, "no address");
        for socket in resolved {
            match TcpStream::connect_timeout(&socket, timeout) {
                Ok(stream) => {
                    let io_err = |source| SqlError::Io { addr: addr.to_owned(), source };
                    stream.set_read_timeout(Some(timeout)).map_err(io_err)?;
                    stream.set_write_timeout(Some(timeout)).map_err(io_err)?;
                    stream.set_nodelay(true).map_err(io_err)?;
                    let mut connection = Connection { stream, addr: addr.to_owned(), sequence: 0 };
                    connection.handshake()?;
                    return Ok(connection);
                }
                Err(e) => last = e,
            }
        }
        Err(connect_err(last))
    }

    /// The address this connection was opened to.
    pub fn addr(&self) -> &str {
        &self.addr
    }

    fn handshake(&mut self) -> Result<(), SqlError> {
        let greeting = self.read_packet()?;
        if greeting.first() == Some(&0xff) {
            return Err(self.server_error(&greeting));
        }
        if greeting.first() != Some(&10) {
            return Err(self.protocol("greeting is not protocol version 10"));
        }
        let mut response = Vec::with_capacity(64);
        response.extend_from_slice(&CLIENT_CAPABILITIES.to_le_bytes());
        response.extend_from_slice(&(MAX_PAYLOAD as u32).to_le_bytes());
        response.push(CHARSET_UTF8);
        response.extend_from_slice(&[0; 23]);
        response.extend_from_slice(b"kho\0");
        // No password: searchd checks none.
        response.push(0);
        self.write_packet(&response)?;
        let answer = self.read_packet()?;
        match answer.first() {
            Some(0x00) => Ok(()),
            Some(0xff) => Err(self.server_error(&answer)),
            _ => Err(self.protocol("unexpected answer to the handshake")),
        }
    }

    /// Runs one statement and reads its whole answer.
    pub fn query(&mut self, sql: &str) -> Result<Answer, SqlError> {
        self.sequence = 0;
        let mut payload = Vec::with_capacity(sql.len() + 1);
        payload.push(COM_QUERY);
        payload.extend_from_slice(sql.as_bytes());
        self.write_packet(&payload)?;
        let first = self.read_packet()?;
        match first.first() {
            Some(0x00) => {
                let mut reader = Fields::new(&first[1..]);
                let affected = reader.length().ok_or_else(|| self.protocol("OK packet without row count"))?;
                Ok(Answer { affected, ..Answer::default() })
            }
            Some(0xff) => Err(self.server_error(&first)),
            Some(_) => self.result_set(&first),
            None => Err(self.protocol("empty answer")),
        }
    }

    fn result_set(&mut self, first: &[u8]) -> Result<Answer, SqlError> {
        let count = Fields::new(first).length().ok_or_else(|| self.protocol("no column count"))?;
        let mut columns = Vec::new();
        for _ in 0..count {
            let definition = self.read_packet()?;
            let mut fields = Fields::new(&definition);
            // catalog, schema, table, original table, then the name.
            for _ in 0..4 {
                fields.text().ok_or_else(|| self.protocol("short column definition"))?;
            }
            let name = fields.text().flatten().ok_or_else(|| self.protocol("column without a name"))?;
            columns.push(String::from_utf8_lossy(name).into_owned());
        }
        let end = self.read_packet()?;
        if !is_eof(&end) {
            return Err(self.protocol("no EOF after the column definitions"));
        }
        let mut rows = Vec::new();
        loop {
            let packet = self.read_packet()?;
            if is_eof(&packet) {
                break;
            }
            if packet.first() == Some(&0xff) {
                return Err(self.server_error(&packet));
            }
            let mut fields = Fields::new(&packet);
            let mut row = Vec::with_capacity(columns.len());
            for _ in 0..columns.len() {
                let value = fields.text().ok_or_else(|| self.protocol("short row"))?;
                row.push(value.map(|bytes| String::from_utf8_lossy(bytes).into_owned()));
            }
            rows.push(row);
        }
        Ok(Answer { columns, rows, affected: 0 })
    }

    fn write_packet(&mut self, payload: &[u8]) -> Result<(), SqlError> {
        let mut chunks = payload.chunks(MAX_PAYLOAD).peekable();
        let mut last_len = 0;
        while let Some(chunk) = chunks.next() {
            self.write_chunk(chunk)?;
            last_len = chunk.len();
            if chunks.peek().is_none() {
                break;
            }
        }
        // A payload that fills its last packet exactly ends with an empty one.
        if last_len == MAX_PAYLOAD {
            self.write_chunk(&[])?;
        }
        self.stream.flush().map_err(|source| SqlError::Io { addr: self.addr.clone(), source })
    }

    fn write_chunk(&mut self, chunk: &[u8]) -> Result<(), SqlError> {
        let len = chunk.len() as u32;
        let header = [len as u8, (len >> 8) as u8, (len >> 16) as u8, self.sequence];
        self.sequence = self.sequence.wrapping_add(1);
        let io_err = |source| SqlError::Io { addr: self.addr.clone(), source };
        self.stream.write_all(&header).map_err(io_err)?;
        self.stream.write_all(chunk).map_err(|source| SqlError::Io { addr: self.addr.clone(), source })
    }

    fn read_packet(&mut self) -> Result<Vec<u8>, SqlError> {
        let mut payload = Vec::new();
        loop {
            let mut header = [0u8; 4];
            let addr = self.addr.clone();
            self.stream.read_exact(&mut header).map_err(|source| SqlError::Io { addr: addr.clone(), source })?;
            let len = usize::from(header[0]) | usize::from(header[1]) << 8 | usize::from(header[2]) << 16;
            self.sequence = header[3].wrapping_add(1);
            let start = payload.len();
            payload.resize(start + len, 0);
            self.stream.read_exact(&mut payload[start..]).map_err(|source| SqlError::Io { addr, source })?;
            if len < MAX_PAYLOAD {
                return Ok(payload);
            }
        }
    }

    fn server_error(&self, packet: &[u8]) -> SqlError {
        let code = match packet.get(1..3) {
            Some(bytes) => u16::from_le_bytes([bytes[0], bytes[1]]),
            None => 0,
        };
        // "#" and a five-character SQL state come before the message in the 4.1 protocol.
        let message = match packet.get(3) {
            Some(b'#') => packet.get(9..).unwrap_or_default(),
            _ => packet.get(3..).unwrap_or_default(),
        };
        SqlError::Server { addr: self.addr.clone(), code, message: String::from_utf8_lossy(message).into_owned() }
    }

    fn protocol(&self, what: &'static str) -> SqlError {
        SqlError::Protocol { addr: self.addr.clone(), what }
    }
}

/// An EOF packet ends the column definitions and the rows (a row may also start with 0xfe when its
/// first value is longer than 16 MB, but then the packet is longer than 8 bytes).
fn is_eof(packet: &[u8]) -> bool {
    packet.first() == Some(&0xfe) && packet.len() < 9
}

/// Reads length-encoded integers and strings from a payload.
struct Fields<'a> {
    bytes: &'a [u8],
}

impl<'a> Fields<'a> {
    fn new(bytes: &'a [u8]) -> Fields<'a> {
        Fields { bytes }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let taken = self.bytes.get(..n)?;
        self.bytes = &self.bytes[n..];
        Some(taken)
    }

    /// A length-encoded integer.
    fn length(&mut self) -> Option<u64> {
        let first = *self.take(1)?.first()?;
        let width = match first {
            0xfc => 2,
            0xfd => 3,
            0xfe => 8,
            small => return Some(u64::from(small)),
        };
        let bytes = self.take(width)?;
        Some(bytes.iter().rev().fold(0u64, |n, b| n << 8 | u64::from(*b)))
    }

    /// A length-encoded string: `Some(None)` for NULL, `None` past the end.
    fn text(&mut self) -> Option<Option<&'a [u8]>> {
        if self.bytes.first() == Some(&0xfb) {
            self.bytes = &self.bytes[1..];
            return Some(None);
        }
        let len = usize::try_from(self.length()?).ok()?;
        Some(Some(self.take(len)?))
    }
}

/// A SphinxQL string literal: quoted, with backslashes and quotes escaped.
pub fn quote(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('\'');
    for c in text.chars() {
        match c {
            '\\' => quoted.push_str("\\\\"),
            '\'' => quoted.push_str("\\'"),
            '\0' => quoted.push_str("\\0"),
            c => quoted.push(c),
        }
    }
    quoted.push('\'');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_encoded_integers_and_strings() {
        let cases: [(&[u8], Option<u64>); 5] = [
            (&[0x05], Some(5)),
            (&[0xfc, 0x01, 0x02], Some(0x0201)),
            (&[0xfd, 0x01, 0x02, 0x03], Some(0x03_0201)),
            (&[0xfe, 1, 0, 0, 0, 0, 0, 0, 1], Some(0x0100_0000_0000_0001)),
            (&[0xfc, 0x01], None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(Fields::new(bytes).length(), expected, "{bytes:?}");
        }
        let mut fields = Fields::new(&[0x02, b'h', b'i', 0xfb, 0x03, b'x']);
        assert_eq!(fields.text(), Some(Some(&b"hi"[..])));
        assert_eq!(fields.text(), Some(None));
        assert_eq!(fields.text(), None, "a string longer than what is left");
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(quote(r#"it's a \ "test""#), r#"'it\'s a \\ "test"'"#);
        assert_eq!(quote("Hội thảo"), "'Hội thảo'");
    }
}
