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

	public const FORMATS = array( 'table', 'json', 'csv', 'ids', 'yaml' );

	/**
	 * The text for a result.
	 *
	 * @param Result $result Result.
	 * @param string $format One of FORMATS.
	 * @throws CommandError For an unknown format.
	 */
	public static function render( Result $result, string $format ): string {
		if ( '' !== $result->text ) {
			return $result->text;
		}
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
				case 'yaml':
					$out .= self::yaml( $rows );
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

	/** A table cell wider than this is wrapped onto more lines, so the columns after it stay in view. */
	public const CELL_WIDTH = 72;

	/**
	 * A plain-text table: values as they are (no JSON escaping), columns
	 * aligned, long cells wrapped within their column.
	 *
	 * @param string[] $fields Headings.
	 * @param array    $rows   Rows.
	 */
	private static function table( array $fields, array $rows ): string {
		$cells = array( array_map( static fn( $field ) => array( (string) $field ), $fields ) );
		foreach ( $rows as $row ) {
			$cells[] = array_map( array( self::class, 'cell_lines' ), array_values( $row ) );
		}
		$widths = array();
		foreach ( $cells as $row ) {
			foreach ( $row as $i => $lines ) {
				foreach ( $lines as $line ) {
					// Masks and names are multibyte: count characters, not bytes.
					$widths[ $i ] = max( $widths[ $i ] ?? 0, mb_strlen( $line ) );
				}
			}
		}
		$out = '';
		foreach ( $cells as $row ) {
			$height = max( array_map( 'count', $row ) );
			for ( $l = 0; $l < $height; $l++ ) {
				$parts = array();
				foreach ( $row as $i => $lines ) {
					$text    = $lines[ $l ] ?? '';
					$parts[] = $text . str_repeat( ' ', max( 0, $widths[ $i ] - mb_strlen( $text ) ) );
				}
				$out .= rtrim( implode( '  ', $parts ) ) . "\n";
			}
		}
		return $out;
	}

	/**
	 * A cell's text as lines of at most CELL_WIDTH characters.
	 *
	 * @param mixed $value Cell value.
	 * @return string[]
	 */
	private static function cell_lines( $value ): array {
		$text = is_scalar( $value ) || null === $value ? (string) $value : (string) wp_json_encode( $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
		$text = str_replace( array( "\r\n", "\r" ), "\n", $text );
		$out  = array();
		foreach ( explode( "\n", $text ) as $line ) {
			while ( mb_strlen( $line ) > self::CELL_WIDTH ) {
				$cut   = mb_strrpos( mb_substr( $line, 0, self::CELL_WIDTH + 1 ), ' ' );
				$cut   = false === $cut || $cut < self::CELL_WIDTH / 2 ? self::CELL_WIDTH : $cut;
				$out[] = rtrim( mb_substr( $line, 0, $cut ) );
				$line  = ltrim( mb_substr( $line, $cut ) );
			}
			$out[] = $line;
		}
		return $out;
	}

	/**
	 * Rows as a YAML list of mappings, as WP-CLI prints `--format=yaml`
	 * (every scalar quoted as a JSON string, which YAML reads as it is).
	 *
	 * @param array $rows Rows (field => value).
	 */
	private static function yaml( array $rows ): string {
		$out = "---\n";
		foreach ( $rows as $row ) {
			$first = true;
			foreach ( $row as $field => $value ) {
				$text = is_int( $value ) || is_float( $value ) ? (string) $value : wp_json_encode( is_scalar( $value ) || null === $value ? (string) $value : $value, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
				$out .= ( $first ? '- ' : '  ' ) . $field . ': ' . $text . "\n";
				$first = false;
			}
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
