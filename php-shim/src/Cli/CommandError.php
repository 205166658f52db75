<?php
/**
 * A command that cannot do what was asked, with a message saying why.
 *
 * @package WorkOS_WP
 */

namespace WorkOS_WP\Cli;

defined( 'ABSPATH' ) || exit;

/**
 * Printed as the error and turned into exit status 1.
 */
final class CommandError extends \RuntimeException {
}
