<?php
/**
 * Test-only (test instances only, never shipped): catches every wp_mail().
 *
 * Each message is appended as one JSON line to
 * `wp-content/workos-test-mail.jsonl` (WP_CONTENT_DIR of the site that sent
 * it) and is NOT sent: the `pre_wp_mail` short-circuit answers "sent", so
 * callers see success and no mail server is needed.
 *
 * A line: {"time": float, "to": ["a@x"], "subject": "…", "message": "…",
 * "headers": ["…"], "attachments": [], "site": "http://…"}.
 *
 * Tests read it through wp_eval — `return workos_test_mail_read();` (every
 * message, oldest first; pass an address to keep only mail to it) and
 * `workos_test_mail_clear();` — or read the file directly (its path:
 * `workos_test_mail_path()`, i.e. .run/<instance>/wp-content/workos-test-mail.jsonl).
 *
 * Other requests pay one add_filter() and three function definitions.
 */

/**
 * The file the caught messages are appended to.
 *
 * @return string
 */
function workos_test_mail_path(): string {
	return WP_CONTENT_DIR . '/workos-test-mail.jsonl';
}

/**
 * The caught messages, oldest first.
 *
 * @param string $to Only messages addressed to this address (case-insensitive); '' for all.
 * @return array<int, array<string, mixed>>
 */
function workos_test_mail_read( string $to = '' ): array {
	$path = workos_test_mail_path();
	if ( ! is_readable( $path ) ) {
		return array();
	}
	$out = array();
	foreach ( (array) file( $path, FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES ) as $line ) {
		$mail = json_decode( (string) $line, true );
		if ( ! is_array( $mail ) ) {
			continue;
		}
		if ( '' !== $to && ! in_array( strtolower( $to ), array_map( 'strtolower', (array) $mail['to'] ), true ) ) {
			continue;
		}
		$out[] = $mail;
	}
	return $out;
}

/**
 * Forgets every caught message.
 */
function workos_test_mail_clear(): void {
	$path = workos_test_mail_path();
	if ( file_exists( $path ) ) {
		wp_delete_file( $path );
	}
}

add_filter(
	'pre_wp_mail',
	static function ( $short_circuit, $atts ) {
		if ( null !== $short_circuit ) {
			return $short_circuit; // Someone else already decided.
		}
		$split = static function ( $value ): array {
			if ( is_array( $value ) ) {
				return array_values( array_filter( array_map( 'trim', array_map( 'strval', $value ) ) ) );
			}
			return array_values( array_filter( array_map( 'trim', preg_split( '/[\r\n,]+/', (string) $value ) ) ) );
		};
		$headers = $atts['headers'] ?? array();
		$line    = array(
			'time'        => microtime( true ),
			'to'          => $split( $atts['to'] ?? array() ),
			'subject'     => (string) ( $atts['subject'] ?? '' ),
			'message'     => (string) ( $atts['message'] ?? '' ),
			'headers'     => is_array( $headers ) ? array_values( array_map( 'strval', $headers ) ) : array_values( array_filter( array_map( 'trim', preg_split( '/\r?\n/', (string) $headers ) ) ) ),
			'attachments' => array_values( (array) ( $atts['attachments'] ?? array() ) ),
			'site'        => home_url(),
		);
		// One write with an exclusive lock: php-fpm workers append concurrently.
		file_put_contents( workos_test_mail_path(), wp_json_encode( $line, JSON_UNESCAPED_SLASHES ) . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- a test probe's own log.
		return true; // Sent, as far as the caller knows.
	},
	10,
	2
);
