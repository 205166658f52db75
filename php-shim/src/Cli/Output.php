<?php
/**
 * Printing results as table, JSON, CSV or ids (the stand-alone runner; WP-CLI
 * uses its own formatter with the same formats).
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

defined( 'ABSPATH' ) || exit;

/**
 * Formats a Result.
 */
final class Output {

	public const FORMATS = array( 'table', 'json', 'csv', 'ids' );

	/**
	 * The text for a result.
	 *
	 * @param Result $result Result.
	 * @param string $format One of FORMATS.
	 * @throws CommandError For an unknown format.
	 */
	public static function render( Result $result, string $format ): string {
		if ( ! in_array( $format, self::FORMATS, true ) ) {
			throw new CommandError( sprintf( '--format must be one of %s.', implode( ', ', self::FORMATS ) ) );
		}
		$out  = '';
		$rows = array_map(
			static function ( $row ) use ( $result ) {
				$ordered = array();
				foreach ( $result->fields as $field ) {
					$ordered[ $field ] = $row[ $field ] ?? '';
				}
				return $ordered;
			},
			$result->rows
		);
		if ( $result->fields ) {
			switch ( $format ) {
				case 'json':
					$out .= wp_json_encode( $rows, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ) . "\n";
					break;
				case 'ids':
					$out .= implode( ' ', array_map( static fn( $r ) => (string) reset( $r ), $rows ) ) . "\n";
					break;
				case 'csv':
					$out .= self::csv_line( $result->fields );
					foreach ( $rows as $row ) {
						$out .= self::csv_line( array_values( $row ) );
					}
					break;
				default:
					$out .= self::table( $result->fields, $rows );
			}
		}
		// JSON and ids stay machine-readable; the summary goes with tables only.
		if ( '' !== $result->message && ( ! $result->fields || in_array( $format, array( 'table', 'csv' ), true ) ) ) {
			$out .= $result->message . "\n";
		}
		return $out;
	}

	/**
	 * A plain-text table.
	 *
	 * @param string[] $fields Headings.
	 * @param array    $rows   Rows.
	 */
	private static function table( array $fields, array $rows ): string {
		$widths = array();
		foreach ( $fields as $field ) {
			$widths[ $field ] = mb_strlen( $field );
			foreach ( $rows as $row ) {
				$widths[ $field ] = max( $widths[ $field ], mb_strlen( (string) $row[ $field ] ) );
			}
		}
		$line = static function ( array $cells ) use ( $fields, $widths ) {
			$parts = array();
			foreach ( $fields as $i => $field ) {
				// Masks and names are multibyte: pad by characters, not bytes.
				$parts[] = $cells[ $i ] . str_repeat( ' ', max( 0, $widths[ $field ] - mb_strlen( (string) $cells[ $i ] ) ) );
			}
			return rtrim( implode( '  ', $parts ) ) . "\n";
		};
		$out = $line( $fields );
		foreach ( $rows as $row ) {
			$out .= $line( array_values( $row ) );
		}
		return $out;
	}

	/**
	 * One CSV line.
	 *
	 * @param array $cells Cells.
	 */
	private static function csv_line( array $cells ): string {
		return implode(
			',',
			array_map(
				static function ( $cell ) {
					$cell = (string) $cell;
					return preg_match( '/[",\n]/', $cell ) ? '"' . str_replace( '"', '""', $cell ) . '"' : $cell;
				},
				$cells
			)
		) . "\n";
	}
}
