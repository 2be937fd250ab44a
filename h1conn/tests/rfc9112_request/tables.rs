//! The table cases: each runs whole, byte by byte and split at every boundary.

use super::*;

cases! {

// ---- RFC 9112 §2.2 Message parsing --------------------------------------------------------------
    rfc9112_2_2_bare_lf_request_line_strict: b"GET / HTTP/1.1\nHost: a\r\n\r\n" => BareLf in strict;
    rfc9112_2_2_bare_lf_field_line_strict: b"GET / HTTP/1.1\r\nHost: a\n\r\n" => BareLf in strict;
    rfc9112_2_2_bare_lf_end_of_head_strict: b"GET / HTTP/1.1\r\nHost: a\r\n\n" => BareLf in strict;
    rfc9112_2_2_bare_lf_empty_line_before_request_strict: b"\nGET / HTTP/1.1\r\nHost: a\r\n\r\n" => BareLf in strict;
    rfc9112_2_2_bare_cr_in_field_value: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n" => BareCr in strict;
    rfc9112_2_2_bare_cr_in_request_line: b"GET /\r HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_2_2_whitespace_between_start_line_and_first_field: b"GET / HTTP/1.1\r\n Host: a\r\n\r\n" => WhitespaceAfterStartLine in strict;
    rfc9112_2_2_whitespace_after_start_line_also_in_lenient: b"GET / HTTP/1.1\r\n\tHost: a\r\n\r\n" => WhitespaceAfterStartLine in lenient;
    rfc9112_2_2_binary_garbage_rejected_early: b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" => BadRequestLine in strict;
    rfc9112_2_2_nul_in_method: b"G\0T / HTTP/1.1\r\nHost: a\r\n\r\n" => BadRequestLine in strict;
    rfc9112_2_2_nul_in_target: b"GET /\0 HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    // ---- RFC 9112 §2.3, RFC 9110 §6.2 Versions -----------------------------------------------------
    rfc9110_6_2_major_version_2_is_505: b"GET / HTTP/2.0\r\nHost: a\r\n\r\n" => VersionNotSupported in strict;
    rfc9110_6_2_major_version_0_is_505: b"GET / HTTP/0.9\r\nHost: a\r\n\r\n" => VersionNotSupported in strict;
    rfc9110_6_2_http2_preface_is_505_not_a_misplaced_asterisk: b"PRI * HTTP/2.0\r\n\r\n" => VersionNotSupported in strict;
    rfc9112_2_3_http_0_9_simple_request_is_400: b"GET /\r\n\r\n" => Http09 in strict;
    rfc9112_2_3_version_is_case_sensitive: b"GET / http/1.1\r\nHost: a\r\n\r\n" => BadVersion in strict;
    rfc9112_2_3_version_two_digit_minor: b"GET / HTTP/1.10\r\nHost: a\r\n\r\n" => BadVersion in strict;
    rfc9112_2_3_version_without_minor: b"GET / HTTP/1\r\nHost: a\r\n\r\n" => BadVersion in strict;
    // ---- RFC 9112 §3 Request line --------------------------------------------------------------------
    rfc9112_3_double_sp_after_method: b"GET  / HTTP/1.1\r\nHost: a\r\n\r\n" => BadRequestLine in strict;
    rfc9112_3_double_sp_before_version: b"GET /  HTTP/1.1\r\nHost: a\r\n\r\n" => BadRequestLine in strict;
    rfc9112_3_trailing_sp_after_version: b"GET / HTTP/1.1 \r\nHost: a\r\n\r\n" => BadRequestLine in strict;
    rfc9112_3_htab_as_separator: b"GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadRequestLine in strict;
    rfc9112_3_empty_method: b" / HTTP/1.1\r\nHost: a\r\n\r\n" => BadRequestLine in strict;
    rfc9112_3_non_token_method: b"GE(T / HTTP/1.1\r\nHost: a\r\n\r\n" => BadRequestLine in strict;
    rfc9112_3_target_longer_than_limit_is_414: padded(b"GET /", b'a', 300, b" HTTP/1.1\r\nHost: a\r\n\r\n") => UriTooLong in strict;
    rfc9112_3_method_longer_than_any_known_is_501: padded(b"", b'M', 40, b" / HTTP/1.1\r\nHost: a\r\n\r\n") => MethodTooLong in strict;
    // ---- RFC 9112 §3.2 Host and target forms -------------------------------------------------------
    rfc9112_3_2_http11_without_host: b"GET / HTTP/1.1\r\nX: a\r\n\r\n" => MissingHost in strict;
    rfc9112_3_2_two_host_lines: b"GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n" => DuplicateHost in strict;
    rfc9112_3_2_two_host_lines_http10: b"GET / HTTP/1.0\r\nHost: a\r\nhost: b\r\n\r\n" => DuplicateHost in strict;
    rfc9112_3_2_host_with_space: b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n" => BadHost in strict;
    rfc9112_3_2_host_with_userinfo: b"GET / HTTP/1.1\r\nHost: u@a\r\n\r\n" => BadHost in strict;
    rfc9112_3_2_host_with_bad_port: b"GET / HTTP/1.1\r\nHost: a:8o\r\n\r\n" => BadHost in strict;
    rfc9112_3_2_host_list: b"GET / HTTP/1.1\r\nHost: a, b\r\n\r\n" => BadHost in strict;
    rfc9112_3_2_host_with_path: b"GET / HTTP/1.1\r\nHost: a/b\r\n\r\n" => BadHost in strict;
    rfc9112_3_2_host_unclosed_ip_literal: b"GET / HTTP/1.1\r\nHost: [::1\r\n\r\n" => BadHost in strict;
    rfc9112_3_2_host_with_port: b"GET / HTTP/1.1\r\nHost: example.com:8080\r\n\r\n" => accepted in strict;
    rfc9112_3_2_host_ipv6_literal: b"GET / HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n" => accepted in strict;
    rfc9112_3_2_host_ipv4: b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" => accepted in strict;
    rfc9110_7_2_empty_host_is_valid: b"GET / HTTP/1.1\r\nHost:\r\n\r\n" => accepted in strict;
    rfc9112_3_2_host_pct_encoded: b"GET / HTTP/1.1\r\nHost: a%2Db\r\n\r\n" => accepted in strict;
    rfc9112_3_2_3_authority_form_without_connect: b"GET example.com:443 HTTP/1.1\r\nHost: a\r\n\r\n" => TargetFormMismatch in strict;
    rfc9112_3_2_3_connect_with_origin_form: b"CONNECT / HTTP/1.1\r\nHost: a\r\n\r\n" => TargetFormMismatch in strict;
    rfc9112_3_2_3_connect_without_port: b"CONNECT example.com HTTP/1.1\r\nHost: a\r\n\r\n" => TargetFormMismatch in strict;
    rfc9112_3_2_4_asterisk_form_with_options: b"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in strict;
    rfc9112_3_2_4_asterisk_form_without_options: b"GET * HTTP/1.1\r\nHost: a\r\n\r\n" => TargetFormMismatch in strict;
    rfc9112_3_2_target_neither_form: b"GET abc HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    // ---- RFC 9112 §3.2 The request-target's grammar (RFC 3986 §2, §3.3, §3.4) ----------------------
    rfc9112_3_2_1_origin_form_every_pchar_slash_and_question_mark: b"GET /az-._~!$&'()*+,;=:@/AZ09//?q/?&x=:@ HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in strict;
    rfc9112_3_2_1_origin_form_pct_encoded_bytes: b"GET /a%2Fb%c3%A9?q=%20%7B HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in strict;
    rfc3986_2_1_bare_percent_at_end: b"GET /100% HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc3986_2_1_bare_percent_at_end_lenient_too: b"GET /100% HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc3986_2_1_percent_with_one_hex_digit: b"GET /a%4 HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc3986_2_1_percent_with_non_hex_digits: b"GET /%zz HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc3986_2_1_percent_with_non_hex_digits_lenient_too: b"GET /?q=%zz HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc9112_3_2_fragment_is_not_part_of_the_target: b"GET /a#frag HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_fragment_is_not_part_of_the_target_lenient_too: b"GET /a#frag<>{} HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc9112_3_2_raw_non_ascii_in_path_strict: b"GET /caf\xc3\xa9 HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_raw_non_ascii_in_query_strict: b"GET /?q=\xff HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_raw_non_ascii_accepted_by_lenient_profile: b"GET /caf\xc3\xa9?q=\xff HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in lenient;
    rfc9112_3_2_left_brace_strict: b"GET /a{b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_right_brace_strict: b"GET /a}b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_vertical_bar_strict: b"GET /?a|b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_caret_strict: b"GET /a^b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_backquote_strict: b"GET /a`b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_backslash_strict: b"GET /a\\b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_less_than_strict: b"GET /a<b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_greater_than_strict: b"GET /a>b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_double_quote_strict: b"GET /a\"b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_square_brackets_in_query_strict: b"GET /?a[]=1 HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_unencoded_ascii_accepted_by_lenient_profile: b"GET /a{b}|c^d`e\\f\"g<h>i[j]?k{l}|m^n`o\\p\"q<r>s[]=t HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in lenient;
    rfc9112_3_2_del_in_target: b"GET /a\x7fb HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_control_byte_in_target: b"GET /a\x01b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    // ---- RFC 9112 §3.2.2 absolute-form: the authority follows the Host rules (RFC 9110 §4.2, §7.2) --
    rfc9112_3_2_2_absolute_form_authority_is_a_valid_host: b"GET http://[::1]:8080/p?q HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in strict;
    rfc9112_3_2_2_absolute_form_authority_reg_name_pct_encoded: b"GET http://a%2Db.example:/ HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in strict;
    rfc9112_3_2_2_absolute_form_scheme_is_case_insensitive: b"GET HTTPS://h?q HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in strict;
    rfc9112_3_2_2_absolute_form_authority_port_not_digits: b"GET http://localhost:80x/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_2_absolute_form_authority_two_ports: b"GET http://localhost:80:80/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_2_absolute_form_authority_invalid_ipv6: b"GET http://[4712::abcd::]/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_2_absolute_form_authority_invalid_lenient_too: b"GET http://[zz]/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc9112_3_2_2_absolute_form_authority_no_unencoded_ascii_lenient_too: b"GET http://a{b}/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc9112_3_2_2_absolute_form_authority_no_obs_text_lenient_too: b"GET http://caf\xc3\xa9/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc9112_3_2_2_absolute_form_path_follows_the_profile_strict: b"GET http://h/a|b HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_2_absolute_form_path_follows_the_profile_lenient: b"GET http://h/a|b?\xff HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in lenient;
    rfc9112_3_2_2_absolute_form_needs_an_authority: b"GET urn:isbn:0 HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_2_absolute_form_http_without_slashes: b"GET http:/x HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9110_4_2_1_http_uri_with_empty_host: b"GET http:// HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9110_4_2_1_http_uri_with_empty_host_and_path: b"GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc9110_4_2_1_http_uri_with_port_only: b"GET https://:443/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9110_4_2_4_http_uri_with_userinfo: b"GET http://u@h/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    rfc9110_4_2_4_http_uri_with_userinfo_lenient_too: b"GET https://u:p@h/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in lenient;
    rfc3986_3_2_other_scheme_may_carry_userinfo_and_an_empty_host: b"GET ftp://u:p%20@/x HTTP/1.1\r\nHost: a\r\n\r\n" => accepted in strict;
    rfc3986_3_2_1_other_scheme_userinfo_grammar: b"GET ftp://u{@h/ HTTP/1.1\r\nHost: a\r\n\r\n" => BadTarget in strict;
    // ---- RFC 9112 §3.2.3, RFC 9110 §9.3.6 authority-form (CONNECT) ---------------------------------
    rfc9112_3_2_3_connect_ip_literal_authority: b"CONNECT [::1]:443 HTTP/1.1\r\nHost: [::1]:443\r\n\r\n" => accepted in strict;
    rfc9110_9_3_6_connect_highest_port: b"CONNECT h:65535 HTTP/1.1\r\nHost: h\r\n\r\n" => accepted in strict;
    rfc9110_9_3_6_connect_port_out_of_range: b"CONNECT h:99999 HTTP/1.1\r\nHost: h\r\n\r\n" => BadTarget in strict;
    rfc9110_9_3_6_connect_port_out_of_range_lenient_too: b"CONNECT h:65536 HTTP/1.1\r\nHost: h\r\n\r\n" => BadTarget in lenient;
    rfc9110_9_3_6_connect_port_overflowing_u64: b"CONNECT h:99999999999999999999999 HTTP/1.1\r\nHost: h\r\n\r\n" => BadTarget in strict;
    rfc9110_9_3_6_connect_empty_port: b"CONNECT h: HTTP/1.1\r\nHost: h\r\n\r\n" => BadTarget in strict;
    rfc9110_9_3_6_connect_empty_host: b"CONNECT :443 HTTP/1.1\r\nHost: h\r\n\r\n" => BadTarget in strict;
    rfc9112_3_2_3_connect_with_userinfo: b"CONNECT u@h:443 HTTP/1.1\r\nHost: h\r\n\r\n" => TargetFormMismatch in strict;
    rfc9112_3_2_3_connect_with_absolute_form: b"CONNECT http://h:443/ HTTP/1.1\r\nHost: h\r\n\r\n" => TargetFormMismatch in strict;
    // ---- RFC 9112 §5, RFC 9110 §5 Field lines --------------------------------------------------------
    rfc9112_5_1_space_before_colon: b"GET / HTTP/1.1\r\nHost : a\r\n\r\n" => WhitespaceBeforeColon in strict;
    rfc9112_5_1_tab_before_colon: b"GET / HTTP/1.1\r\nHost: a\r\nX\t: b\r\n\r\n" => WhitespaceBeforeColon in strict;
    rfc9112_5_2_obs_fold_rejected: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n" => ObsFold in strict;
    rfc9110_5_5_nul_in_value: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n" => BadFieldValue in strict;
    rfc9110_5_5_ctl_in_value_strict: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n" => BadFieldValue in strict;
    rfc9110_5_5_del_in_value_strict: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x7fb\r\n\r\n" => BadFieldValue in strict;
    rfc9110_5_5_nul_in_value_lenient_too: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n" => BadFieldValue in lenient;
    rfc9110_5_5_htab_inside_value: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\tb\r\n\r\n" => accepted in strict;
    rfc9110_5_1_empty_field_name: b"GET / HTTP/1.1\r\nHost: a\r\n: b\r\n\r\n" => BadFieldName in strict;
    rfc9110_5_1_missing_colon: b"GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n" => BadFieldName in strict;
    rfc9110_5_1_non_token_name: b"GET / HTTP/1.1\r\nHost: a\r\nX(y): b\r\n\r\n" => BadFieldName in strict;
    rfc9110_5_1_non_ascii_name: b"GET / HTTP/1.1\r\nHost: a\r\nX\xc3\xa9: b\r\n\r\n" => BadFieldName in strict;
    // ---- RFC 9112 §6 Body framing --------------------------------------------------------------------
    rfc9112_6_3_content_length_plus_sign: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_minus_sign: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_hex: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x5\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_inner_space: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1 2\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_underscore: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1_0\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_empty: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length:\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_decimal_point: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5.0\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_overflow: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 18446744073709551616\r\n\r\n" => BadContentLength in strict;
    rfc9112_6_3_content_length_identical_list_strict: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,5\r\n\r\nhello" => DuplicateContentLength in strict;
    rfc9112_6_3_content_length_identical_lines_strict: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 5\r\n\r\nhello" => DuplicateContentLength in strict;
    rfc9112_6_3_differing_content_lengths: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!" => DuplicateContentLength in lenient;
    rfc9112_6_1_content_length_with_transfer_encoding_rejected: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" => ContentLengthWithTransferEncoding in strict;
    rfc9112_6_1_transfer_encoding_in_http10_rejected: b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" => TransferEncodingInHttp10 in strict;
    rfc9112_6_3_te_final_not_chunked: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n" => ChunkedNotFinal in strict;
    rfc9112_6_3_te_chunked_then_gzip: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n" => ChunkedNotFinal in strict;
    rfc9112_6_1_te_unknown_coding_is_501: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" => UnknownTransferCoding in strict;
    rfc9112_6_1_te_unknown_coding_on_earlier_line_is_501: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: foo\r\nTransfer-Encoding: chunked\r\n\r\n" => UnknownTransferCoding in strict;
    rfc9112_6_3_te_identity: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n" => ChunkedNotFinal in strict;
    rfc9112_6_3_te_xchunked: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: xchunked\r\n\r\n" => ChunkedNotFinal in strict;
    rfc9112_6_3_te_chunked_prefix: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunkedx\r\n\r\n" => ChunkedNotFinal in strict;
    rfc9112_6_1_te_empty_value: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\n\r\n" => BadTransferEncoding in strict;
    rfc9112_6_1_te_only_commas: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: , ,\r\n\r\n" => BadTransferEncoding in strict;
    rfc9112_6_1_te_chunked_twice_in_list: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, chunked\r\n\r\n" => BadTransferEncoding in strict;
    rfc9112_6_1_te_chunked_twice_on_lines: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n" => BadTransferEncoding in strict;
    rfc9112_7_te_chunked_with_parameter: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked;q=1\r\n\r\n" => BadTransferEncoding in strict;
    rfc9112_6_1_te_quoted_chunked: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \"chunked\"\r\n\r\n" => BadTransferEncoding in strict;
    // ---- RFC 9112 §7.1 Chunked ---------------------------------------------------------------------
    rfc9112_7_1_chunk_size_needs_a_digit: b";ext\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_chunk_size_empty_line: b"\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_chunk_size_0x_prefix: b"0x5\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_chunk_size_plus_sign: b"+5\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_chunk_size_minus_sign: b"-5\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_chunk_size_underscore: b"1_0\r\n0123456789abcdef\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_chunk_size_overflow: b"10000000000000000\r\n" => ChunkSizeOverflow in chunked;
    rfc9112_7_1_chunk_size_bare_lf_strict: b"5\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    errata_7633_chunk_size_bare_lf_lenient_too: b"5\nhello\r\n0\r\n\r\n" => BadChunk in chunked_lenient;
    rfc9112_7_1_chunk_size_bare_cr: b"5\rhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_missing_crlf_after_data: b"5\r\nhelloX\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_bare_lf_after_data: b"5\r\nhello\n0\r\n\r\n" => BadChunk in chunked_lenient;
    rfc9112_7_1_data_longer_than_size: b"3\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_whitespace_after_size_without_ext: b"5 \r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_last_chunk_bare_lf: b"0\n\r\n" => BadChunk in chunked_lenient;
    rfc9112_7_1_1_nul_in_extension: b"5;a\0b\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_bare_lf_in_extension: b"5;a\nb\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_ctl_in_extension: b"5;a\x01b\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    // ---- RFC 9112 §7.1.1 chunk-ext grammar: 400 in strict, skipped unread in lenient --------------
    rfc9112_7_1_1_unclosed_quoted_string_strict: b"5;a=\"open\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_unclosed_quoted_string_lenient: b"5;a=\"open\r\nhello\r\n0\r\n\r\n" => accepted in chunked_lenient;
    rfc9112_7_1_1_semicolon_without_name_strict: b"5;\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_semicolon_without_name_lenient: b"5;\r\nhello\r\n0\r\n\r\n" => accepted in chunked_lenient;
    rfc9112_7_1_1_value_without_name_strict: b"5;=v\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_value_without_name_lenient: b"5;=v\r\nhello\r\n0\r\n\r\n" => accepted in chunked_lenient;
    rfc9112_7_1_1_space_inside_name_strict: b"5;a b\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_space_inside_name_lenient: b"5;a b\r\nhello\r\n0\r\n\r\n" => accepted in chunked_lenient;
    rfc9112_7_1_1_quote_inside_token_value_strict: b"5;a=b\"c\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_quote_inside_token_value_lenient: b"5;a=b\"c\r\nhello\r\n0\r\n\r\n" => accepted in chunked_lenient;
    rfc9112_7_1_1_equals_without_value_strict: b"5;a=\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_bws_before_crlf_strict: b"5;a \r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_bad_quoted_pair_strict: b"5;a=\"x\\\x01\"\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_ctl_in_quoted_string_lenient_too: b"5;a=\"\x01\"\r\nhello\r\n0\r\n\r\n" => BadChunk in chunked_lenient;
    rfc9112_7_1_1_bad_last_chunk_extension_strict: b"5\r\nhello\r\n0;a=\"\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_1_unclosed_quote_before_a_second_request_strict: b"1;ext=\"val\r\nX\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n" => BadChunk in chunked;
    rfc9112_7_1_2_trailer_bare_lf: b"0\r\nX: 1\n\r\n" => BadChunk in chunked_lenient;
    rfc9112_7_1_2_trailer_bad_name: b"0\r\nX Y: 1\r\n\r\n" => BadTrailer in chunked;
    rfc9112_7_1_2_trailer_obs_fold: b"0\r\nX: 1\r\n 2\r\n\r\n" => BadTrailer in chunked;
    // ---- httparse 1.10 gaps that h1conn closes (shared/RULES.md, last paragraph) --------------------
    httparse_gap_lf_only_line_ends: b"GET / HTTP/1.1\nHost: a\n\n" => BareLf in strict;
    httparse_gap_empty_content_length: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n" => BadContentLength in strict;
    httparse_gap_duplicate_content_length: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx" => DuplicateContentLength in strict;
    httparse_gap_duplicate_transfer_encoding: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" => BadTransferEncoding in strict;
    httparse_gap_duplicate_host: b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n" => DuplicateHost in strict;
    httparse_gap_http_1_2_accepted_as_1_1: b"GET / HTTP/1.2\r\nHost: a\r\n\r\n" => accepted in strict;
    httparse_gap_chunk_line_without_digit: b"\r\n\r\n" => BadChunk in chunked;
    httparse_gap_lf_inside_chunk_extension: b"1;a\nb\r\nx\r\n0\r\n\r\n" => BadChunk in chunked;
    httparse_gap_nul_inside_chunk_extension: b"1;a\0\r\nx\r\n0\r\n\r\n" => BadChunk in chunked;
}

// Table tests: `name: input, setup => check;` is the test `name`, which feeds the setup's prefix
// and `input` as `accepts` does, and asks `check` of the transcript.
shows! {
    rfc9112_2_2_leading_empty_lines_are_skipped: b"\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", strict => |o| o[0].req_line() == Some(("GET", "/"));
    rfc9112_2_2_bare_lf_accepted_by_lenient_profile: b"GET /x HTTP/1.1\nHost: a\nX: 1\n\n", lenient => |o| o[0].req_line() == Some(("GET", "/x")) && o[0].header("x") == Some(b"1");
    rfc9112_2_2_bare_cr_replaced_by_sp_in_lenient_profile: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", lenient => |o| o[0].header("x") == Some(b"a b");
    rfc9110_6_2_http_1_2_is_handled_as_1_1: b"GET / HTTP/1.2\r\nHost: a\r\n\r\n", strict => |o| matches!(o[0], Out::Req { version: Version::Http11, minor: 2, .. });
    rfc9112_2_3_http_1_0_without_host_is_accepted: b"GET / HTTP/1.0\r\n\r\n", strict => |o| matches!(o[0], Out::Req { version: Version::Http10, .. });
    rfc9112_3_extension_method_is_accepted: b"PROPFIND /x HTTP/1.1\r\nHost: a\r\n\r\n", strict => |o| o[0].req_line() == Some(("PROPFIND", "/x"));
    rfc9112_3_method_is_case_sensitive: b"get / HTTP/1.1\r\nHost: a\r\n\r\n", strict => |o| o[0].req_line() == Some(("get", "/"));
    rfc9112_3_2_3_authority_form_with_connect: b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", strict => |o| o[0].req_line() == Some(("CONNECT", "example.com:443"));
    rfc9110_5_5_other_ctl_accepted_as_sp_in_lenient_profile: b"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n", lenient => |o| o[0].header("x") == Some(b"a b");
    rfc9110_5_1_field_names_are_case_insensitive: b"POST / HTTP/1.1\r\nhOsT: a\r\ncOnTeNt-LeNgTh: 2\r\n\r\nok", strict => |o| o[0].framing() == BodyFraming::Length(2);
    rfc9110_5_1_transfer_underscore_encoding_is_another_field: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer_Encoding: chunked\r\n\r\n", strict => |o| o[0].framing() == BodyFraming::None && o[0].header("transfer_encoding") == Some(b"chunked");
    rfc9112_6_3_no_cl_no_te_means_no_body: b"POST / HTTP/1.1\r\nHost: a\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n", strict => |o| o[0].framing() == BodyFraming::None && o[2].req_line() == Some(("GET", "/next"));
    rfc9112_6_3_content_length_zero: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n", strict => |o| o[0].framing() == BodyFraming::Length(0) && o[1] == Out::End(vec![]);
    rfc9112_6_3_content_length_leading_zeros: b"POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 003\r\n\r\nabc", strict => |o| o[0].framing() == BodyFraming::Length(3);
    rfc9112_6_1_te_empty_line_then_chunked_line: b"POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding:\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", strict => |o| o[0].framing() == BodyFraming::Chunked;
    rfc9112_7_1_uppercase_hex_and_leading_zeros: b"0000A\r\n0123456789\r\n0\r\n\r\n", chunked => |o| o[1] == Out::Data(b"0123456789".to_vec());
    rfc9112_7_1_1_extensions_are_ignored: b"5;a=b;c=\"d e\"\r\nhello\r\n5 ; x\r\nworld\r\n0;last\r\n\r\n", chunked => |o| o[1] == Out::Data(b"helloworld".to_vec());
    rfc9112_7_1_1_quoted_value_with_semicolon: b"5;a=\"q;x\"\r\nhello\r\n0\r\n\r\n", chunked => |o| o[1] == Out::Data(b"hello".to_vec());
    rfc9112_7_1_1_bws_around_semicolon_and_equals: b"5 \t; a \t= b ;c\t=\t\"d\" ;e\r\nhello\r\n0 ; z = \"\"\r\n\r\n", chunked => |o| o[1] == Out::Data(b"hello".to_vec());
    rfc9112_7_1_1_quoted_pairs: b"5;a=\"x\\\"y\\\\z\\ \\\x80\xff\"\r\nhello\r\n0\r\n\r\n", chunked => |o| o[1] == Out::Data(b"hello".to_vec());
    rfc9112_7_1_1_lenient_line_ends_at_the_first_crlf: b"1;ext=\"val\r\nX\r\n0\r\n\r\nGET /next HTTP/1.1\r\nHost: a\r\n\r\n", chunked_lenient => |o| o[1] == Out::Data(b"X".to_vec()) && o[3].req_line() == Some(("GET", "/next"));
}
