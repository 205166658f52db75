<?php
/**
 * A transaction InnoDB rolled back to break a deadlock: safe to redo.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP;

defined( 'ABSPATH' ) || exit;

/**
 * Thrown by Ledger when an attempt should simply be repeated.
 */
final class Deadlock extends \RuntimeException {
}
