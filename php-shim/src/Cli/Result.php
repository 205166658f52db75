<?php
/**
 * What a command produced: rows to print and/or a closing message.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

defined( 'ABSPATH' ) || exit;

/**
 * A command's output, independent of how it is printed.
 */
final class Result {

	/**
	 * Rows.
	 *
	 * @var array<int, array<string, mixed>> Scalars, or arrays/objects for JSON output.
	 */
	public $rows;

	/**
	 * Column order.
	 *
	 * @var string[]
	 */
	public $fields;

	/**
	 * Summary line ('' = none).
	 *
	 * @var string
	 */
	public $message;

	/**
	 * Text printed as it is, whatever the format (help); '' = none.
	 *
	 * @var string
	 */
	public $text = '';

	/**
	 * A result that is only text to print (help).
	 *
	 * @param string $text The text.
	 */
	public static function text( string $text ): self {
		$result       = new self( array(), array() );
		$result->text = $text;
		return $result;
	}

	/**
	 * New result.
	 *
	 * @param array    $rows    Rows.
	 * @param string[] $fields  Column order.
	 * @param string   $message Summary line.
	 */
	public function __construct( array $rows, array $fields, string $message = '' ) {
		$this->rows    = $rows;
		$this->fields  = $fields;
		$this->message = $message;
	}
}
